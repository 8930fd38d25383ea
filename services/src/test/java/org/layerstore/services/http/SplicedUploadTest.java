// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.config.TlsSettings;
import org.layerstore.services.demo.DemoCertificate;

/**
 * PUT bodies taken straight from the socket with splice (share {@code uploadEngine: splice}): byte-exact
 * files of every awkward size, keep-alive and pipelined requests after a spliced body, and the failures
 * (client killed, disk full, idle client) with nothing left behind. Real curl, real sockets, real files.
 */
class SplicedUploadTest {

    @TempDir
    Path dir;

    private TransmitEngines engines;
    private HttpFileServer server;
    private Curl curl;
    private String url;
    private int port;

    private Path start(Path share, String uploadEngine, LimitSettings limits) throws IOException {
        return start(share, uploadEngine, TestServers.loopback().withLimits(limits));
    }

    private Path start(Path share, String uploadEngine, HttpSettings http) throws IOException {
        engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));
        server = HttpFileServer.start(http, new AuthSettings(TestServers.usersFile(dir), null, true),
                List.of(new ShareSettings("files", share, false).withUploadEngine(uploadEngine)), new HttpStats(), List.of(),
                engines);
        port = server.localAddress().getPort();
        url = (http.tls() == null ? "http" : "https") + "://127.0.0.1:" + port + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        return share;
    }

    private Path start(String uploadEngine) throws IOException {
        return start(Files.createDirectories(dir.resolve("share")), uploadEngine, LimitSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everySizeArrivesByteForByteAndTheBigOneIsSpliced() throws Exception {
        Path share = start("splice");
        try (AccessLogCapture log = new AccessLogCapture()) {
            for (long size : List.of(0L, 1L, 4095L, 4096L, 65537L, (1L << 20) + 3)) {
                Path body = randomFile("s" + size, size);
                assertEquals(201, curl.run("-T", body.toString(), url + "s" + size).status(), "size " + size);
                assertEquals(sha256(body), sha256(share.resolve("s" + size)), "size " + size);
                assertTrue(log.await("PUT /files/s" + size + " ").matches(".* 201 0 engine=(copy|splice) .*"));
            }
            EngineStatisticsSnapshot before = spliceStatistics();
            long size = (256L << 20) + 4097;
            Path big = randomFile("big", size);
            assertEquals(201, curl.run("-T", big.toString(), url + "big.bin").status());
            assertEquals(sha256(big), sha256(share.resolve("big.bin")));
            assertTrue(log.await("PUT /files/big.bin ").contains(" engine=splice "), log.lines().toString());
            EngineStatisticsSnapshot after = spliceStatistics();
            assertTrue(after.bytes() - before.bytes() > size / 2, "most of the body was spliced: " + after);
            assertEquals(0, after.cpuCopiedBytes(), "splice copies nothing through user space");
            assertEquals(before.failures(), after.failures());
            // without Expect: 100-continue the body follows the headers at once: Netty has read a part of it
            // (written with copy) before the rest is spliced, at the right offset
            assertEquals(204, curl.run("-H", "Expect:", "-T", big.toString(), url + "big.bin").status());
            assertEquals(sha256(big), sha256(share.resolve("big.bin")));
            assertEquals(before.failures(), spliceStatistics().failures());
            Files.delete(big);
        }
        assertEquals(List.of(), debris(share));
    }

    @Test
    void aCopyShareReceivesThroughBuffersAndSaysSo() throws Exception {
        Path share = start("copy");
        Path body = randomFile("b", 3 << 20);
        try (AccessLogCapture log = new AccessLogCapture()) {
            assertEquals(201, curl.run("-T", body.toString(), url + "b.bin").status());
            assertTrue(log.await("PUT /files/b.bin ").contains(" engine=copy "));
        }
        assertEquals(sha256(body), sha256(share.resolve("b.bin")));
        assertEquals(0, spliceStatistics().bytes());
    }

    @Test
    void autoSplicesLargeBodiesAndCopiesSmallOnes() throws Exception {
        Path share = start("auto");
        Path small = randomFile("small", 200_000);
        Path large = randomFile("large", 5 << 20);
        try (AccessLogCapture log = new AccessLogCapture()) {
            assertEquals(201, curl.run("-T", small.toString(), url + "small.bin").status());
            assertEquals(201, curl.run("-T", large.toString(), url + "large.bin").status());
            assertTrue(log.await("PUT /files/small.bin ").contains(" engine=copy "));
            assertTrue(log.await("PUT /files/large.bin ").contains(" engine=splice "));
        }
        assertEquals(sha256(small), sha256(share.resolve("small.bin")));
        assertEquals(sha256(large), sha256(share.resolve("large.bin")));
    }

    @Test
    void oneCurlConnectionUploadsTwoFilesThenDownloadsOne() throws Exception {
        Path share = start("splice");
        Path a = randomFile("a", (3 << 20) + 11);
        Path b = randomFile("b", (2 << 20) + 7);
        Path back = dir.resolve("back.bin");
        Process p = new ProcessBuilder("curl", "-sS", "-v", "-u", TestServers.USER + ":" + TestServers.PASSWORD,
                "-T", a.toString(), url + "a.bin", "-T", b.toString(), url + "b.bin", url + "b.bin",
                "-o", "/dev/null", "-o", "/dev/null", "-o", back.toString()).redirectErrorStream(true).start();
        String verbose = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), verbose);
        assertEquals(2, verbose.split("(Re-using|Reusing) existing", -1).length - 1, "curl kept one connection: " + verbose);
        assertEquals(sha256(a), sha256(share.resolve("a.bin")));
        assertEquals(sha256(b), sha256(share.resolve("b.bin")));
        assertEquals(sha256(b), sha256(back));
    }

    @Test
    void aGetPipelinedRightBehindASplicedBodyIsAnswered() throws Exception {
        Path share = start("splice");
        Files.writeString(share.resolve("hello.txt"), "hello, world\n");
        byte[] body = new byte[(4 << 20) + 1];
        new Random(11).nextBytes(body);
        String put = "PUT /files/raw.bin HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestServers.basic()
                + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        String get = "GET /files/hello.txt HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestServers.basic() + "\r\n\r\n";
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(put.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(200); // the headers alone first: the server switches to the socket before the body comes
            out.write(body, 0, 1000);
            out.flush();
            Thread.sleep(100);
            // the rest of the body and the next request in one write: splice must stop exactly at the body's end
            byte[] rest = new byte[body.length - 1000 + get.length()];
            System.arraycopy(body, 1000, rest, 0, body.length - 1000);
            System.arraycopy(get.getBytes(StandardCharsets.ISO_8859_1), 0, rest, body.length - 1000, get.length());
            out.write(rest);
            out.flush();
            InputStream in = socket.getInputStream();
            String first = readResponse(in);
            assertEquals(201, RawHttp.status(first), first);
            String second = readResponse(in);
            assertEquals(200, RawHttp.status(second), second);
            assertTrue(second.endsWith("hello, world\n"), second);
        }
        assertArrayEquals(body, Files.readAllBytes(share.resolve("raw.bin")));
    }

    @Test
    void aClientKilledMidSpliceLeavesTheOldFileAndNoDebris() throws Exception {
        Path share = start("splice");
        Path old = randomFile("old", 100_000);
        Files.copy(old, share.resolve("doc.bin"));
        Path big = randomFile("big", 8 << 20);
        EngineStatisticsSnapshot before = spliceStatistics();
        Process upload = new ProcessBuilder("curl", "-sS", "-u", TestServers.USER + ":" + TestServers.PASSWORD,
                "--limit-rate", "512K", "-T", big.toString(), url + "doc.bin").redirectErrorStream(true).start();
        try {
            awaitSplicedBytesBeyond(before);
        } finally {
            upload.destroyForcibly();
            upload.waitFor(10, TimeUnit.SECONDS);
        }
        awaitNoDebris(share);
        assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(share.resolve("doc.bin")));
        assertEquals(before.failures() + 1, spliceStatistics().failures());
        assertEquals(204, curl.run("-T", old.toString(), url + "doc.bin").status(), "the server goes on");
    }

    @Test
    void aClientThatHalfClosesMidBodyIsDroppedWithNothingLeft() throws Exception {
        Path share = start("splice");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            startTenMegabytePut(socket, "half.bin", 300_000);
            socket.shutdownOutput();
            socket.setSoTimeout(10_000);
            assertEquals(-1, socket.getInputStream().read(), "the server closed the connection without an answer");
        }
        awaitNoDebris(share);
        assertTrue(Files.notExists(share.resolve("half.bin")));
        Path next = randomFile("next", 2 << 20);
        assertEquals(201, curl.run("-T", next.toString(), url + "next.bin").status(), "the server goes on");
        assertEquals(sha256(next), sha256(share.resolve("next.bin")));
    }

    @Test
    void aFullDiskAnswers507AndLeavesNothingBehind() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path mountPoint = SmallTmpfs.mount(dir.resolve("tiny"), "2m");
        try {
            Path share = start(mountPoint, "splice", LimitSettings.defaults());
            Path old = randomFile("old", 200_000);
            Files.copy(old, share.resolve("doc.bin"));
            Path big = randomFile("big", 4 << 20);
            EngineStatisticsSnapshot before = spliceStatistics();
            try (AccessLogCapture log = new AccessLogCapture()) {
                assertEquals(507, curl.run("-T", big.toString(), url + "doc.bin").status());
                assertTrue(log.await("PUT /files/doc.bin ").matches(".* 507 \\d+ engine=splice .*"), log.lines().toString());
            }
            assertEquals(before.failures() + 1, spliceStatistics().failures(), "the splice engine hit the full disk");
            assertEquals(List.of(), debris(share));
            assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(share.resolve("doc.bin")));
            Path fits = randomFile("fits", 1 << 20);
            assertEquals(204, curl.run("-T", fits.toString(), url + "doc.bin").status(), "space is back");
            assertEquals(sha256(fits), sha256(share.resolve("doc.bin")));
        } finally {
            server.close();
            server = null;
            SmallTmpfs.unmount(mountPoint);
        }
    }

    @Test
    void aSlowButSteadySplicedUploadOutlivesTheIdleTimeout() throws Exception {
        Path share = start(Files.createDirectories(dir.resolve("share")), "splice",
                new LimitSettings(null, null, null, null, null, 1, null, null, null, null, null));
        Path body = randomFile("slow", 3 << 20);
        long started = System.nanoTime();
        assertEquals(201, curl.run("--limit-rate", "1M", "-T", body.toString(), url + "slow.bin").status());
        assertTrue(System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(2000), "the upload took longer than the timeout");
        assertEquals(sha256(body), sha256(share.resolve("slow.bin")));
    }

    @Test
    void aClientThatStallsMidSpliceIsCutByTheIdleTimeout() throws Exception {
        Path share = start(Files.createDirectories(dir.resolve("share")), "splice",
                new LimitSettings(null, null, null, null, null, 2, null, null, null, null, null));
        Path warmUp = randomFile("warm-up", 1 << 20); // a cold switch must not take a whole idle period
        assertEquals(201, curl.run("-T", warmUp.toString(), url + "warm-up.bin").status());
        EngineStatisticsSnapshot before = spliceStatistics();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            startTenMegabytePut(socket, "stalled.bin", 500_000);
            awaitSplicedBytesBeyond(before);
            long stalled = System.nanoTime();
            socket.setSoTimeout(10_000);
            assertEquals(-1, socket.getInputStream().read(), "the server closed the idle connection");
            assertTrue(System.nanoTime() - stalled < TimeUnit.SECONDS.toNanos(8), "closed within a few idle periods");
        }
        awaitNoDebris(share);
        assertTrue(Files.notExists(share.resolve("stalled.bin")));
    }

    @Test
    void underTlsUploadsAreCopiedAndTheConfiguredSpliceIsAFallback() throws Exception {
        TlsSettings tlsSettings = DemoCertificate.create(Files.createDirectories(dir.resolve("tls")));
        Path share = start(Files.createDirectories(dir.resolve("share")), "splice", TestServers.loopback().withTls(tlsSettings));
        assertEquals(1, server.engineFallbacks().size(), server.engineFallbacks().toString());
        assertEquals("copy-receive", server.engineFallbacks().getFirst().fallback());
        Path body = randomFile("tls-body", 2 << 20);
        Curl tls = new Curl(dir, "--cacert", tlsSettings.certificate().toString(), "-u",
                TestServers.USER + ":" + TestServers.PASSWORD);
        try (AccessLogCapture log = new AccessLogCapture()) {
            assertEquals(201, tls.run("-T", body.toString(), url + "tls.bin").status());
            assertTrue(log.await("PUT /files/tls.bin ").contains(" engine=copy "));
        }
        assertEquals(sha256(body), sha256(share.resolve("tls.bin")));
        assertEquals(0, spliceStatistics().bytes());
    }

    /** Sends the headers of a 10 MB PUT of {@code name}, then (once the server has switched) {@code part} bytes of it. */
    private static void startTenMegabytePut(Socket socket, String name, int part) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("PUT /files/" + name + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + TestServers.basic()
                + "\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        Thread.sleep(200);
        out.write(new byte[part]);
        out.flush();
    }

    private void awaitSplicedBytesBeyond(EngineStatisticsSnapshot before) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (spliceStatistics().bytes() == before.bytes() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(spliceStatistics().bytes() > before.bytes(), "the body never reached the splice engine");
    }

    private EngineStatisticsSnapshot spliceStatistics() {
        return engines.statistics().stream().filter(s -> s.engine().equals("splice-receive")).findFirst().orElseThrow();
    }

    private Path randomFile(String name, long size) throws IOException {
        Path file = dir.resolve(name);
        RandomContent.createNew(file, size, size * 31 + name.hashCode());
        return file;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        try (FileChannel in = FileChannel.open(file)) {
            while (in.read(buffer.clear()) > 0) {
                digest.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The server's temporaries in the share's top folder (listed without stat: one may vanish meanwhile). */
    private static List<String> debris(Path share) throws IOException {
        try (Stream<Path> files = Files.list(share)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".layerstore-")).toList();
        }
    }

    private static void awaitNoDebris(Path share) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!debris(share).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), debris(share));
    }

    /** One HTTP/1.1 response with a Content-Length body, read exactly. */
    private static String readResponse(InputStream in) throws IOException {
        String head = RawHttp.head(in);
        int length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        List<Byte> bodyBytes = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("body cut short after " + i + " of " + length + " bytes");
            }
            bodyBytes.add((byte) c);
        }
        byte[] body = new byte[bodyBytes.size()];
        for (int i = 0; i < body.length; i++) {
            body[i] = bodyBytes.get(i);
        }
        return head + new String(body, StandardCharsets.ISO_8859_1);
    }
}
