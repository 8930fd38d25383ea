// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.telemetry.metrics.EngineStats;
import org.layerstore.services.telemetry.providers.DatapathEngineStats;

/**
 * The one suite every transmit engine runs (as Netty runs one suite over its transports): a share
 * configured with the engine serves a 256 MiB file (plus a last partial page) and ranges of it to curl,
 * byte-exact by sha256, on one kept-alive connection; the access log and the engine's own statistics
 * show that engine carried the bytes (and, for sendfile and splice, that the CPU copied none);
 * and a file truncated in the middle of a transfer ends that transfer with an error while the server
 * goes on serving. Engines unavailable on this host are skipped with their reason.
 */
class EngineTransferTest {

    private static final long MIB = 1024 * 1024;
    /** 256 MiB and a last partial page of 1000 bytes. */
    private static final long SIZE = 256 * MIB + 1000;
    private static final long TRUNCATED_SIZE = 32 * MIB;
    private static final List<String> ENGINES = List.of("copy", "mmap", "sendfile", "splice", "zerocopy");
    /** Engines that send without the CPU touching the payload on any host (zerocopy copies on loopback). */
    private static final List<String> NO_CPU_COPY = List.of("sendfile", "splice");

    @TempDir
    static Path dir;

    private static Path root;
    private static String wholeSha256;
    private static TransmitEngines engines;
    private static HttpFileServer server;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(dir.resolve("share"));
        wholeSha256 = writeBigFile(root.resolve("big.bin"));
        engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));
        List<ShareSettings> shares = new ArrayList<>();
        for (String engine : ENGINES) {
            shares.add(new ShareSettings(engine, root, true).withAnonymous("read").withEngine(engine));
        }
        server = HttpFileServer.start(TestServers.loopback(), AuthSettings.defaults(), shares, new HttpStats(), List.of(),
                engines);
        base = "http://127.0.0.1:" + server.localAddress().getPort() + "/";
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static Stream<String> engines() {
        return ENGINES.stream();
    }

    private static TransmitEngine available(String name) {
        TransmitEngine engine = engines.engine(name);
        assumeTrue(engine.availability().available(), name + " is " + engine.availability());
        return engine;
    }

    /** Pseudo-random bytes (every MiB different), written in 1 MiB pieces; returns their sha256. */
    private static String writeBigFile(Path file) throws Exception {
        return RandomContent.createNew(file, SIZE, 20261123);
    }

    private static byte[] slice(long first, long last) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate((int) (last - first + 1));
        try (FileChannel in = FileChannel.open(root.resolve("big.bin"))) {
            while (bytes.hasRemaining()) {
                in.read(bytes, first + bytes.position());
            }
        }
        return bytes.array();
    }

    private record Run(int exit, String output) {
    }

    private static Run shell(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "did not finish: " + command);
        return new Run(p.exitValue(), output);
    }

    /**
     * The whole file through the engine into sha256sum, then a second request on the same connection
     * (curl reuses it: num_connects 0) to show the connection is still good after 256 MiB.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void wholeFileIsByteExactAndCarriedByTheEngine(String name) throws Exception {
        TransmitEngine engine = available(name);
        EngineStatisticsSnapshot before = engine.statistics().snapshot();
        String url = base + name + "/big.bin";
        try (AccessLogCapture log = new AccessLogCapture()) {
            String options = "-sS --max-time 100 -w '%{stderr}%{http_code} %{size_download} %{speed_download}"
                    + " %{num_connects}\\n'";
            Run run = shell("curl " + options + " -o /dev/stdout " + url + " --next " + options + " -r 0-0 -o /dev/null "
                    + url + " | sha256sum");
            assertEquals(0, run.exit(), run.output());
            String[] lines = run.output().trim().split("\n");
            assertEquals(3, lines.length, run.output());
            String[] whole = lines[0].split(" ");
            String[] again = lines[1].split(" ");
            assertEquals("200", whole[0], run.output());
            assertEquals(Long.toString(SIZE), whole[1], run.output());
            assertEquals("206", again[0], run.output());
            assertEquals("0", again[3], "the second request reused the connection: " + run.output());
            assertTrue(lines[2].startsWith(wholeSha256 + " "), "sha256 " + lines[2] + " expected " + wholeSha256);
            System.out.printf("engine %-8s 256 MiB by curl: %.0f MiB/s%n", name, Double.parseDouble(whole[2]) / MIB);
            String line = log.await("\"GET /" + name + "/big.bin HTTP/1.1\" 200 " + SIZE);
            assertTrue(line.contains(" engine=" + name + " "), line);
        }
        EngineStatisticsSnapshot after = engine.statistics().snapshot();
        long bytes = after.bytes() - before.bytes();
        long copied = after.cpuCopiedBytes() - before.cpuCopiedBytes();
        System.out.printf("engine %-8s bytes %d, CPU-copied %d, syscalls %d, frames %d, S/G entries %d, fallbacks %s%n",
                name, bytes, copied, after.syscalls() - before.syscalls(), after.frames() - before.frames(),
                after.sgEntries() - before.sgEntries(), after.fallbacks());
        assertEquals(SIZE + 1, bytes, "the engine's statistics count the file and the 1-byte range");
        EngineStats published = new DatapathEngineStats(engines).engineStats().stream()
                .filter(e -> e.engine().equals(name)).findFirst().orElseThrow();
        assertEquals(after.bytes(), published.bytes(), "telemetry publishes the engine's counters");
        if (NO_CPU_COPY.contains(name)) {
            assertEquals(0, copied, name + " copies nothing");
        } else if (!name.equals("zerocopy")) {
            assertTrue(copied >= SIZE, name + " copies every byte: " + copied);
        }
    }

    /**
     * Ranges on one connection: 1 byte, odd offsets, a page boundary, a whole page, the last partial
     * page (suffix and open-ended), 32 MiB from an odd offset, and three ranges as multipart/byteranges.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void rangesAreByteExact(String name) throws Exception {
        available(name);
        String url = base + name + "/big.bin";
        long last = SIZE - 1;
        long[][] ranges = {{0, 0}, {1, 1}, {4095, 4096}, {4096, 8191}, {12345, 67891}, {SIZE - 1000, last},
                {SIZE - 4097, last}, {1000001, 1000001 + 32 * MIB}};
        String[] specs = {"0-0", "1-1", "4095-4096", "4096-8191", "12345-67891", "-1000", (SIZE - 4097) + "-",
                "1000001-" + (1000001 + 32 * MIB)};
        String options = " -sS --max-time 60 -w '%{stderr}%{http_code} %{num_connects}\\n' ";
        StringBuilder command = new StringBuilder("curl");
        for (int i = 0; i < specs.length; i++) {
            command.append(i == 0 ? "" : " --next").append(options).append("-r ").append(specs[i]).append(" -o ")
                    .append(dir.resolve(name + "-range-" + i)).append(' ').append(url);
        }
        command.append(" --next").append(options).append("-r 0-0,4095-4096,-10 -o ").append(dir.resolve(name + "-multipart")).append(' ').append(url);
        try (AccessLogCapture log = new AccessLogCapture()) {
            Run run = shell(command.toString());
            assertEquals(0, run.exit(), run.output());
            String[] lines = run.output().trim().split("\n");
            assertEquals(specs.length + 1, lines.length, run.output());
            for (int i = 0; i < lines.length; i++) {
                assertEquals("206 " + (i == 0 ? 1 : 0), lines[i], "one connection for every range: " + run.output());
            }
            for (int i = 0; i < ranges.length; i++) {
                Path body = dir.resolve(name + "-range-" + i);
                assertArrayEquals(slice(ranges[i][0], ranges[i][1]), Files.readAllBytes(body), name + " range " + specs[i]);
                Files.delete(body);
            }
            assertMultipart(Files.readAllBytes(dir.resolve(name + "-multipart")),
                    new long[][] {{0, 0}, {4095, 4096}, {SIZE - 10, last}});
            String line = log.await("\"GET /" + name + "/big.bin HTTP/1.1\" 206 " + (32 * MIB + 1));
            assertTrue(line.contains(" engine=" + name + " "), line);
        }
    }

    private static void assertMultipart(byte[] body, long[][] parts) throws IOException {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int at = 0;
        for (long[] part : parts) {
            String header = "Content-Range: bytes " + part[0] + "-" + part[1] + "/" + SIZE + "\r\n\r\n";
            int start = text.indexOf(header, at);
            assertTrue(start >= 0, "part " + part[0] + "-" + part[1] + " missing in " + text);
            start += header.length();
            int length = (int) (part[1] - part[0] + 1);
            byte[] got = new byte[length];
            System.arraycopy(body, start, got, 0, length);
            assertArrayEquals(slice(part[0], part[1]), got, "multipart part " + part[0] + "-" + part[1]);
            at = start + length;
        }
        assertTrue(text.substring(at).matches("\r\n--layerstore-[0-9a-f]+--\r\n"), text.substring(at));
    }

    /**
     * Clients that reset the connection in the middle of a body, five times: each transfer is released (no
     * response still owns a descriptor of the file, no mapping of it stays in the process, and the only
     * descriptors of it left are those the shares' open-file caches keep between requests), and the next
     * download is still carried by the engine itself, not a fallback.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void resetConnectionReleasesTheTransfer(String name) throws Exception {
        TransmitEngine engine = available(name);
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
                socket.getOutputStream().write(("GET /" + name + "/big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                byte[] buffer = new byte[64 * 1024];
                for (long read = 0; read < 4 * MIB; ) {
                    int n = in.read(buffer);
                    assertTrue(n > 0, "the body started");
                    read += n;
                }
                socket.setSoLinger(true, 0); // close with a reset
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        String held = transfersHolding();
        while (!held.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            held = transfersHolding();
        }
        assertEquals("", held, "the file after the resets");
        long startFallbacksBefore = startFallbacks(engine);
        try (AccessLogCapture log = new AccessLogCapture()) {
            Run run = shell("curl -sS --max-time 30 -r 1000-2000000 -o /dev/null -w '%{http_code}' " + base + name
                    + "/big.bin");
            assertEquals("206", run.output(), run.output());
            assertTrue(log.await("\"GET /" + name + "/big.bin HTTP/1.1\" 206 1999001").contains(" engine=" + name + " "));
        }
        assertEquals(startFallbacksBefore, startFallbacks(engine), "the engine started the transfer itself");
    }

    /** Transfers the engine could not start and handed to another. */
    private static long startFallbacks(TransmitEngine engine) {
        return engine.statistics().snapshot().fallbacks().entrySet().stream()
                .filter(e -> e.getKey().startsWith("could not start")).mapToLong(Map.Entry::getValue).sum();
    }

    /**
     * What still holds big.bin beyond the open-file caches: kept files a response still owns, mappings, and
     * descriptors beyond those the caches keep; empty when nothing does.
     */
    private static String transfersHolding() throws IOException {
        int kept = server.shares().stream().mapToInt(Share::openFilesKept).sum();
        int sending = server.shares().stream().mapToInt(Share::openFilesSending).sum();
        List<String> descriptors = new ArrayList<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().endsWith("/big.bin")) {
                        descriptors.add("fd " + fd.getFileName());
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we looked
                }
            }
        }
        List<String> held = new ArrayList<>();
        if (sending > 0) {
            held.add(sending + " kept files a response still sends from");
        }
        if (descriptors.size() > kept) {
            held.add(descriptors + " open, " + kept + " of them kept by the open-file caches");
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.endsWith("/big.bin")) {
                held.add("mapping " + line);
            }
        }
        return String.join("; ", held);
    }

    /**
     * A 32 MiB file truncated to 1 MiB while a slow client downloads it: that transfer ends with an
     * error (curl reports a short body, the access log shows no size) and the server, alive, serves the
     * next request byte-exact.
     */
    @ParameterizedTest
    @MethodSource("engines")
    void truncatedFileEndsTheTransferAndTheServerGoesOn(String name) throws Exception {
        TransmitEngine engine = available(name);
        Path file = root.resolve("shrinking-" + name + ".bin");
        try (FileChannel in = FileChannel.open(root.resolve("big.bin"));
             FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(0, TRUNCATED_SIZE, out);
        }
        Path received = dir.resolve(name + "-shrinking");
        long failuresBefore = engine.statistics().snapshot().failures();
        try (AccessLogCapture log = new AccessLogCapture()) {
            Process curl = new ProcessBuilder("curl", "-sS", "--max-time", "60", "--limit-rate", "4M", "-o",
                    received.toString(), base + name + "/" + file.getFileName()).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while ((!Files.exists(received) || Files.size(received) < MIB) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.size(received) >= MIB, "the download started");
            try (FileChannel shrink = FileChannel.open(file, StandardOpenOption.WRITE)) {
                shrink.truncate(MIB);
            }
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl ended");
            String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertNotEquals(0, curl.exitValue(), "curl saw a short body: " + output);
            assertTrue(Files.size(received) < TRUNCATED_SIZE, "short body " + Files.size(received));
            String line = log.await("\"GET /" + name + "/" + file.getFileName() + " HTTP/1.1\" 200 - ");
            assertTrue(line.contains(" engine=" + name + " "), line);
        }
        assertTrue(engine.statistics().snapshot().failures() > failuresBefore, "the engine counted the failed transfer");
        Run next = shell("curl -sS --max-time 30 -r 4095-4096 -o /dev/stdout " + base + name + "/big.bin | od -An -tx1");
        assertEquals(0, next.exit(), next.output());
        byte[] expected = slice(4095, 4096);
        assertEquals(String.format("%02x %02x", expected[0], expected[1]), next.output().trim(), "the server still serves");
        Files.delete(file);
    }
}
