// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.LimitSettings;

/**
 * Request heads RFC 9112 refuses or requires to be accepted, Destination on another host (RFC 4918), overlapping
 * ranges and the per-client connection limit, sent byte for byte to a running server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RequestConformanceTest {

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Path share;
    private int port;

    private void start(LimitSettings limits) throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "alpha");
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback().withLimits(limits));
        port = server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String send(String head) throws Exception {
        return RawHttp.exchange(port, head + "Authorization: " + TestServers.basic() + "\r\nConnection: close\r\n\r\n");
    }

    @Test
    void copyAndMoveToAnotherHostAre502AndTouchNothing() throws Exception {
        start(LimitSettings.defaults());
        String host = "127.0.0.1:" + port;
        for (String method : new String[] {"COPY", "MOVE"}) {
            String answer = send(method + " /files/a.txt HTTP/1.1\r\nHost: " + host
                    + "\r\nDestination: http://elsewhere.example/files/b.txt\r\n");
            assertEquals(502, RawHttp.status(answer), answer);
            answer = send(method + " /files/a.txt HTTP/1.1\r\nHost: " + host
                    + "\r\nDestination: http://127.0.0.1:1/files/b.txt\r\n"); // same address, another port: another server
            assertEquals(502, RawHttp.status(answer), answer);
        }
        assertFalse(Files.exists(share.resolve("b.txt")));
        assertTrue(Files.exists(share.resolve("a.txt")));
        String answer = send("COPY /files/a.txt HTTP/1.1\r\nHost: LOCALHOST\r\nDestination: http://localhost:80/files/b.txt\r\n");
        assertEquals(201, RawHttp.status(answer), answer); // the same authority, normalised (RFC 9110 4.2.3)
        assertEquals("alpha", Files.readString(share.resolve("b.txt")));
    }

    @Test
    void malformedHeadsAre400() throws Exception {
        start(LimitSettings.defaults());
        assertEquals(400, RawHttp.status(send("GET /files/a.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n")));
        assertEquals(400, RawHttp.status(send("GET /files/a.txt HTTP/1.1\r\n")));
        assertEquals(400, RawHttp.status(send("GET /files/a.txt HTTP/1.1\r\nHost: a/b\r\n")));
        assertEquals(400, RawHttp.status(RawHttp.exchange(port, "PUT /files/c.txt HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + TestServers.basic() + "\r\nTransfer-Encoding: identity, chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
        assertEquals(400, RawHttp.status(RawHttp.exchange(port, "PUT /files/c.txt HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + TestServers.basic() + "\r\nTransfer-Encoding: chunked, identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
        // obs-fold (RFC 9112 5.2): joined with a space, which no Host or Transfer-Encoding value survives.
        assertEquals(400, RawHttp.status(send("GET /files/a.txt HTTP/1.1\r\nHost: a\r\n b\r\n")));
        assertEquals(400, RawHttp.status(RawHttp.exchange(port, "PUT /files/c.txt HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + TestServers.basic() + "\r\nTransfer-Encoding: chunked\r\n identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n")));
        assertFalse(Files.exists(share.resolve("c.txt")));
        assertEquals(200, RawHttp.status(send("GET /files/a.txt HTTP/1.0\r\n")), "HTTP/1.0 needs no Host");
    }

    @Test
    void anUnknownMajorVersionIs505() throws Exception {
        start(LimitSettings.defaults());
        String answer = send("GET /files/a.txt HTTP/9.9\r\nHost: x\r\n");
        assertEquals(505, RawHttp.status(answer), answer);
    }

    @Test
    void anAbsoluteFormTargetIsServedAndItsAuthorityIsTheHost() throws Exception {
        start(LimitSettings.defaults());
        String answer = send("GET http://127.0.0.1:" + port + "/files/a.txt HTTP/1.1\r\nHost: ignored.example\r\n");
        assertEquals(200, RawHttp.status(answer), answer);
        assertTrue(answer.endsWith("alpha"), answer);
        answer = send("COPY http://nas.example/files/a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Destination: http://nas.example/files/d.txt\r\n");
        assertEquals(201, RawHttp.status(answer), answer);
        assertEquals("alpha", Files.readString(share.resolve("d.txt")));
    }

    @Test
    void overlappingRangesSendEachByteOnce() throws Exception {
        start(LimitSettings.defaults());
        String answer = send("GET /files/a.txt HTTP/1.1\r\nHost: x\r\nRange: bytes=0-,0-\r\n");
        assertEquals(206, RawHttp.status(answer), answer);
        assertTrue(answer.contains("Content-Range: bytes 0-4/5") || answer.contains("content-range: bytes 0-4/5"), answer);
        assertTrue(answer.endsWith("\r\n\r\nalpha"), answer);
    }

    @Test
    void oneClientCannotHoldEveryConnection() throws Exception {
        start(LimitSettings.defaults().withMaxConnectionsPerClient(2));
        byte[] get = "GET /files/a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: Basic eDp5\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket one = new Socket("127.0.0.1", port); Socket two = new Socket("127.0.0.1", port)) {
            for (Socket s : new Socket[] {one, two}) { // answered: the server has counted it
                s.setSoTimeout(10_000);
                s.getOutputStream().write(get);
                assertTrue(new String(s.getInputStream().readNBytes(9), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 "));
            }
            try (Socket third = new Socket("127.0.0.1", port)) {
                third.setSoTimeout(10_000);
                String answer = RawHttp.readAll(third.getInputStream());
                assertEquals(503, RawHttp.status(answer), answer);
                assertTrue(answer.contains("Retry-After:"), answer);
            }
            try (Socket other = new Socket()) { // another client address on loopback still gets in
                other.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
                other.connect(new InetSocketAddress("127.0.0.1", port));
                other.setSoTimeout(10_000);
                other.getOutputStream().write("GET /files/a.txt HTTP/1.1\r\nHost: x\r\nAuthorization: "
                        .concat(TestServers.basic()).concat("\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertEquals(200, RawHttp.status(RawHttp.readAll(other.getInputStream())));
            }
        }
    }
}
