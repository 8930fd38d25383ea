// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read path's two routes: GETs answered on the event loop (a file opened beneath the share with one
 * openat2) and everything the file-I/O thread answers (links to judge, folders, WebDAV, uploads), over
 * real sockets: links that stay inside are served either way, a FIFO does not hang the server, and
 * pipelined requests that alternate between the routes are answered in order, a read after a write
 * included.
 */
class ReadPathTest {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

    @TempDir
    Path dir;
    private Path share;
    private HttpFileServer server;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Files.createDirectories(share.resolve("sub"));
        Files.writeString(share.resolve("sub/a.txt"), "alpha");
        Files.writeString(share.resolve("b.txt"), "bravo");
        Files.createSymbolicLink(share.resolve("relative-link"), Path.of("sub/a.txt"));
        Files.createSymbolicLink(share.resolve("absolute-link"), share.resolve("sub/a.txt").toRealPath());
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void linksThatStayInsideAreServedByEitherRoute() throws Exception {
        for (String link : List.of("relative-link", "absolute-link")) {
            String response = get("/files/" + link);
            assertEquals(200, RawHttp.status(response), link + ": " + response);
            assertTrue(response.endsWith("\r\n\r\nalpha"), link + ": " + response);
        }
    }

    @Test
    void aFifoInTheShareIsNotFoundAndHangsNothing() throws Exception {
        Process mkfifo = new ProcessBuilder("mkfifo", share.resolve("pipe").toString()).start();
        assertEquals(0, mkfifo.waitFor());
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            assertEquals(404, RawHttp.status(get("/files/pipe")));
            assertEquals(200, RawHttp.status(get("/files/b.txt")));
        });
    }

    @Test
    void pipelinedRequestsAlternatingRoutesAreAnsweredInOrder() throws Exception {
        String auth = "Authorization: " + TestServers.basic() + "\r\n";
        String put = "PUT /files/new.txt HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 7\r\n\r\ncharlie";
        String pipeline = request("GET", "/files/b.txt", auth)           // event loop
                + request("PROPFIND", "/files/sub/", auth + "Depth: 1\r\n") // file-I/O thread
                + request("GET", "/files/sub/a.txt", auth)                 // event loop
                + request("GET", "/files/sub/", auth)                      // folder page: file-I/O thread
                + request("HEAD", "/files/b.txt", auth)                    // event loop
                + put                                                      // file-I/O thread
                + request("GET", "/files/new.txt", auth)                   // event loop, after the upload
                + request("GET", "/files/missing.txt", auth + "Connection: close\r\n");
        String answers = RawHttp.exchange(server.localAddress().getPort(), pipeline);
        List<String> methods = List.of("GET", "PROPFIND", "GET", "GET", "HEAD", "PUT", "GET", "GET");
        List<String> statuses = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        int at = 0;
        for (String method : methods) {
            int headersEnd = answers.indexOf("\r\n\r\n", at);
            assertTrue(answers.startsWith("HTTP/1.1 ", at) && headersEnd > 0, "response " + statuses.size() + ": " + answers);
            String head = answers.substring(at, headersEnd);
            Matcher length = CONTENT_LENGTH.matcher(head);
            int bodyLength = method.equals("HEAD") || !length.find() ? 0 : Integer.parseInt(length.group(1));
            statuses.add(head.substring(9, 12));
            bodies.add(answers.substring(headersEnd + 4, headersEnd + 4 + bodyLength));
            at = headersEnd + 4 + bodyLength;
        }
        assertEquals(List.of("200", "207", "200", "200", "200", "201", "200", "404"), statuses, answers);
        assertEquals("bravo", bodies.get(0));
        assertEquals("alpha", bodies.get(2));
        assertTrue(bodies.get(3).contains("a.txt"), bodies.get(3));
        assertEquals("charlie", bodies.get(6), "the GET after the upload sees it");
        assertEquals(answers.length(), at, "nothing after the last response");
    }

    private static String request(String method, String target, String headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n";
    }

    private String get(String target) throws Exception {
        return RawHttp.exchange(server.localAddress().getPort(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: "
                + TestServers.basic() + "\r\nConnection: close\r\n\r\n");
    }
}
