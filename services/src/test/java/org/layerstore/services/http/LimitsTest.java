// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.ShareSettings;

/** The limits that keep one client from hurting the others, and pipelining and shutdown as clients see them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsTest {

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Path share;

    private int start(LimitSettings limits) throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "alpha");
        Files.writeString(share.resolve("b.txt"), "bravo");
        server = HttpFileServer.start(TestServers.loopback().withLimits(limits),
                List.of(new ShareSettings("files", share, true).withAnonymous("read")));
        return server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static LimitSettings limits(Integer header, Integer line, Integer connections, Integer idle, Integer request) {
        return new LimitSettings(header, line, null, null, connections, idle, request, null, null, null, null);
    }

    @Test
    void oversizedHeadersAre431AndLongRequestLines414() throws Exception {
        int port = start(limits(2048, 256, null, null, null));
        String big = "GET /files/a.txt HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n";
        assertEquals(431, RawHttp.status(RawHttp.exchange(port, big)));
        String longLine = "GET /files/" + "a".repeat(400) + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertEquals(414, RawHttp.status(RawHttp.exchange(port, longLine)));
        assertEquals(200, RawHttp.status(RawHttp.exchange(port, "GET /files/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")));
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderOnOneConnection() throws Exception {
        int port = start(LimitSettings.defaults());
        String response = RawHttp.exchange(port, "GET /files/a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /files/b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /files/b.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /files/none HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        int a = response.indexOf("alpha");
        int head = response.indexOf("HTTP/1.1 200", a);
        int b = response.indexOf("bravo", head);
        int missing = response.indexOf("HTTP/1.1 404", b);
        assertTrue(a > 0 && head > a && b > head && missing > b, response);
        assertEquals(4, response.split("HTTP/1.1 ", -1).length - 1, response);
    }

    @Test
    void idleConnectionsAreClosed() throws Exception {
        int port = start(limits(null, null, null, 1, null));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            assertEquals(-1, socket.getInputStream().read());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(millis >= 900 && millis < 5000, millis + " ms");
        }
    }

    @Test
    void slowRequestHeadersAreDroppedWith408() throws Exception {
        int port = start(limits(null, null, null, 30, 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long t0 = System.nanoTime();
            out.write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            Instant before = Instant.now();
            String response = trickleUntilAnswered(out, in);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(408, RawHttp.status(response), response);
            ResponseDateTest.assertDateBetween(response, before, Instant.now());
            assertTrue(millis < 4000, millis + " ms");
        }
    }

    @Test
    void aKeptAliveConnectionAskingQuicklyForLongerThanTheRequestTimeoutIsNotDropped() throws Exception {
        int port = start(limits(null, null, null, 30, 1));
        try (KeptAliveConnection connection = new KeptAliveConnection(port)) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500); // two and a half request timeouts
            int answered = 0;
            while (System.nanoTime() < end) {
                assertEquals(200, connection.get("/files/a.txt").status());
                answered++;
                Thread.sleep(100);
            }
            assertTrue(answered > 5, answered + " requests");
        }
    }

    @Test
    void aSlowRequestAfterQuickOnesOnTheSameConnectionIsDroppedWith408() throws Exception {
        int port = start(limits(null, null, null, 30, 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 3; i++) { // each answered well within the timeout; the clock must start again for the next
                out.write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, RawHttp.status(RawHttp.head(in)));
                assertEquals("alpha", new String(in.readNBytes(5), StandardCharsets.US_ASCII));
                Thread.sleep(400);
            }
            long t0 = System.nanoTime();
            out.write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            String response = trickleUntilAnswered(out, in);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertEquals(408, RawHttp.status(response), response);
            assertTrue(millis >= 900 && millis < 4000, millis + " ms");
        }
    }

    /** Sends a byte every 200 ms (never idle, never a complete header) until the server answers or 6 s pass. */
    private static String trickleUntilAnswered(OutputStream out, InputStream in) throws Exception {
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return RawHttp.readAll(in);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        for (int i = 0; i < 30 && !answer.isDone(); i++) {
            try {
                out.write('z');
            } catch (java.io.IOException e) {
                break; // the server closed the connection
            }
            Thread.sleep(200);
        }
        return answer.get(10, TimeUnit.SECONDS);
    }

    @Test
    void connectionsOverTheLimitGet503() throws Exception {
        int port = start(limits(null, null, 2, null, null));
        try (Socket one = new Socket("127.0.0.1", port); Socket two = new Socket("127.0.0.1", port)) {
            one.getOutputStream().write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            two.getOutputStream().write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            one.setSoTimeout(5000);
            two.setSoTimeout(5000);
            // Both answered: the server has counted both (a connect returns before the server accepts it).
            assertTrue(new String(one.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            assertTrue(new String(two.getInputStream().readNBytes(12), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"));
            try (Socket third = new Socket("127.0.0.1", port)) { // refused before it could even ask
                third.setSoTimeout(5000);
                String answer = RawHttp.readAll(third.getInputStream());
                assertEquals(503, RawHttp.status(answer), answer);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int status = 0;
        while (status != 200 && System.nanoTime() < deadline) { // the closed ones free their places
            Thread.sleep(100);
            status = RawHttp.status(RawHttp.exchange(port, "GET /files/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        }
        assertEquals(200, status);
    }

    @Test
    void shutdownLetsATransferInFlightFinishAndRefusesNewConnections() throws Exception {
        int port = start(LimitSettings.defaults());
        // 20 MiB at 10 MiB/s, shutdown 0.5 s in: the server writes its last byte into the socket at most 1.5 s
        // later (less as the socket buffers take more), inside the 2 s grace. A close that did not wait for it
        // would stop the event loops under the transfer, and the download would end short.
        byte[] content = new byte[20 << 20];
        new java.util.Random(1).nextBytes(content);
        Files.write(share.resolve("big.bin"), content);
        Path out = dir.resolve("download.bin");
        Process download = new ProcessBuilder("curl", "-sS", "--fail", "--limit-rate", "10M", "-o", out.toString(),
                "http://127.0.0.1:" + port + "/files/big.bin").redirectErrorStream(true).start();
        Thread.sleep(500);
        HttpFileServer closing = server;
        server = null;
        closing.close();
        assertTrue(download.waitFor(20, TimeUnit.SECONDS));
        assertEquals(0, download.exitValue(), new String(download.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(out)));
        assertThrowsConnect(port);
    }

    private static void assertThrowsConnect(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            throw new AssertionError("still accepting connections after close");
        } catch (java.io.IOException expected) {
            // refused: the listener is gone
        }
    }
}
