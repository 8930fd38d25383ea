// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerstore.services.http.OffloadTestClients.sha256;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layerstore.datapath.RandomContent;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.http.webdav.Litmus;

/**
 * The offload port judged by the Linux kernel's TCP and real clients: the server's one pipeline on the
 * user-space stack, on one end of a veth pair; curl (and litmus) in a namespace of their own on the other
 * end, at 192.0.2.1, reaching the stack at 192.0.2.2, on the AF_PACKET link ({@link
 * FrameManagerOffloadPortTest} runs downloads on the frame-manager one). Skips, saying why, without fixture.root(), ip,
 * ethtool or curl.
 */
class OffloadPortTest {


    @RegisterExtension
    static final OffloadPortFixture fixture = OffloadPortFixture.on(OffloadSettings.WIRE_PACKET_SOCKET, "lsnt", root -> {
        RandomContent.createNew(root.resolve("one-MiB.bin"), 1 << 20, 1);
        RandomContent.createNew(root.resolve("sixty-four-MiB.bin"), 64 << 20, 2);
        Files.writeString(root.resolve("small.txt"), "hello over the user-space stack\n");
    });

    @Test
    void downloadsArriveIdenticalFromMappedPagesWithoutCpuCopies() throws Exception {
        StackCounters counters = fixture.port().counters();
        long copiedBefore = counters.get(StackCounter.SENT_BYTES_COPIED);
        long mappedBefore = counters.get(StackCounter.FILE_BYTES_MAPPED);
        long linkCopiedBefore = fixture.port().linkCounters().copiedPayloadBytes();
        double seconds = OffloadTestClients.downloadOneAndSixtyFourMebibytes(fixture.curl(), fixture.base(), fixture.root());
        System.out.printf("offload port: 64 MiB in %.2f s (%.1f MB/s), %d retransmissions so far%n", seconds,
                (64 << 20) / seconds / 1e6, counters.get(StackCounter.RETRANSMISSIONS));
        System.out.println("offload port counters: " + counters.snapshot());

        assertEquals((1 << 20) + (64L << 20), counters.get(StackCounter.FILE_BYTES_MAPPED) - mappedBefore,
                "every body byte went as a reference to a mapped page");
        assertTrue(counters.get(StackCounter.SENT_BYTES_COPIED) - copiedBefore < 64 * 1024,
                "only response heads may be copied, not bodies");
        assertTrue(fixture.port().linkCounters().copiedPayloadBytes() - linkCopiedBefore >= (1 << 20) + (64L << 20),
                "on AF_PACKET the kernel copies every body byte at sendmsg");
        assertEquals(0, fixture.port().linkCounters().dmaPayloadBytes(), "AF_PACKET reads no page by bus address");
        awaitNothingPinned(counters);
    }

    @Test
    void rangesAreServed() throws Exception {
        Curl.Response r = fixture.curl().run("-r", "1000-1999", fixture.base() + "one-MiB.bin");
        assertEquals(206, r.status());
        assertEquals("bytes 1000-1999/1048576", r.header("Content-Range"));
        byte[] file = Files.readAllBytes(fixture.root().resolve("one-MiB.bin"));
        assertArrayEquals(Arrays.copyOfRange(file, 1000, 2000), r.body());
    }

    @Test
    void anUploadLandsIntact() throws Exception {
        Path upload = fixture.dir().resolve("upload.bin");
        RandomContent.createNew(upload, 8 << 20, 3);
        long copiedBefore = fixture.port().counters().get(StackCounter.RECEIVED_BYTES_COPIED);
        Curl.Response r = fixture.curl().run("-T", upload.toString(), fixture.base() + "uploaded.bin");
        assertEquals(201, r.status());
        assertArrayEquals(sha256(Files.readAllBytes(upload)), sha256(Files.readAllBytes(fixture.root().resolve("uploaded.bin"))));
        assertTrue(fixture.port().counters().get(StackCounter.RECEIVED_BYTES_COPIED) - copiedBefore >= 8 << 20,
                "the upload's bytes are counted as copied out of the link's buffers");
    }

    @Test
    void webDavMethodsWorkThroughTheOffloadPort() throws Exception {
        assertEquals(201, fixture.curl().run("-X", "MKCOL", fixture.base() + "folder/").status());
        assertEquals(201, fixture.curl().run("-T", fixture.root().resolve("small.txt").toString(), fixture.base() + "folder/a.txt").status());
        Curl.Response listing = fixture.curl().run("-X", "PROPFIND", "-H", "Depth: 1", fixture.base() + "folder/");
        assertEquals(207, listing.status());
        assertTrue(listing.text().contains("/files/folder/a.txt"), listing.text());
        Curl.Response moved = fixture.curl().run("-X", "MOVE", "-H", "Destination: " + fixture.base() + "folder/b.txt",
                fixture.base() + "folder/a.txt");
        assertEquals(201, moved.status());
        assertTrue(Files.exists(fixture.root().resolve("folder/b.txt")));
        assertTrue(Files.notExists(fixture.root().resolve("folder/a.txt")));
    }

    @Test
    void withoutCredentialsTheShareAnswers401() throws Exception {
        Curl anonymous = Curl.inNamespace(fixture.network().namespace(), fixture.dir());
        Curl.Response r = anonymous.run(fixture.base() + "small.txt");
        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic"), r.headers().toString());
    }

    @Test
    void twoHundredConcurrentConnectionsAreAllAnswered() throws Exception {
        int connections = 200;
        Path out = Files.createDirectories(fixture.dir().resolve("parallel"));
        Process p = new ProcessBuilder(fixture.network().inNamespace("curl", "-sS", "--max-time", "60", "--parallel",
                "--parallel-immediate", "--parallel-max", String.valueOf(connections), "-u",
                TestServers.USER + ":" + TestServers.PASSWORD, "--output-dir", out.toString(), "-o", "r#1",
                "-w", "%{http_code} %{num_connects}\\n", fixture.base() + "small.txt?n=[1-" + connections + "]"))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), output);
        List<String> lines = output.lines().filter(l -> l.matches("\\d{3} \\d+")).toList();
        assertEquals(connections, lines.size(), output);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("200 ")), output);
        assertEquals(connections, lines.stream().mapToInt(l -> Integer.parseInt(l.split(" ")[1])).sum(),
                "each transfer had a connection of its own:\n" + output);
        for (int i = 1; i <= connections; i++) {
            assertEquals("hello over the user-space stack\n", Files.readString(out.resolve("r" + i)));
        }
    }

    @Test
    void litmusPassesThroughTheOffloadPort() throws Exception {
        Path work = Files.createDirectories(fixture.dir().resolve("litmus"));
        Litmus.assertEverySuitePasses(fixture.network().inNamespace(), fixture.base(), work, "offload port");
    }

    @Test
    void aClientKilledMidDownloadLeavesNothingPinned() throws Exception {
        StackCounters counters = fixture.port().counters();
        OffloadTestClients.killMidDownload(fixture.network(), fixture.base() + "sixty-four-MiB.bin", counters::pinnedBytes);
        awaitNothingPinned(counters);
        assertEquals(0, counters.connections(TcpState.ESTABLISHED), "the reset connection is gone");
    }

    private static void awaitNothingPinned(StackCounters counters) throws InterruptedException {
        fixture.awaitNothingPinned();
        assertTrue(counters.connections(TcpState.LISTEN) >= 1);
    }
}
