// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of response carries a Date (RFC 9110 section 6.6.1) in IMF-fixdate, of the second it was
 * sent: the pre-encoded file heads (200, 206, 304, HEAD) and Netty's encoder's (404, 401, 412, 416,
 * folder pages, redirects, WebDAV), over a real socket.
 */
class ResponseDateTest {

    /** IMF-fixdate exactly (RFC 9110 section 5.6.7), one header line. */
    private static final Pattern DATE = Pattern.compile(
            "(?i)\r\ndate: ((?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d\\d (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
                    + "\\d{4} \\d\\d:\\d\\d:\\d\\d GMT)\r\n");

    @TempDir
    Path dir;
    private HttpFileServer server;

    @BeforeEach
    void start() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.createDirectories(share.resolve("sub"));
        Files.writeString(share.resolve("a.txt"), "alpha");
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyKindOfResponseCarriesTheDateOfItsSecond() throws Exception {
        String etag = etag(send("GET", "/files/a.txt", ""));
        assertDated(200, "GET", "/files/a.txt", "");
        assertDated(200, "HEAD", "/files/a.txt", "");
        assertDated(206, "GET", "/files/a.txt", "Range: bytes=1-2\r\n");
        assertDated(206, "GET", "/files/a.txt", "Range: bytes=0-0,2-3\r\n");
        assertDated(304, "GET", "/files/a.txt", "If-None-Match: " + etag + "\r\n");
        assertDated(412, "GET", "/files/a.txt", "If-Match: \"other\"\r\n");
        assertDated(416, "GET", "/files/a.txt", "Range: bytes=99-\r\n");
        assertDated(404, "GET", "/files/missing", "");
        assertDated(200, "GET", "/files/sub/", "");
        assertDated(301, "GET", "/files/sub", "");
        assertDated(207, "PROPFIND", "/files/", "Depth: 0\r\n");
        assertDated(201, "PUT", "/files/new.txt", "Content-Length: 0\r\n");
        String anonymous = RawHttp.exchange(server.localAddress().getPort(),
                "GET /files/a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals(401, RawHttp.status(anonymous), anonymous);
        assertTrue(DATE.matcher(anonymous).find(), anonymous);
    }

    /** {@code response} has one Date, IMF-fixdate, of a second between {@code before} and {@code after}. */
    static void assertDateBetween(String response, Instant before, Instant after) {
        Matcher date = DATE.matcher(response);
        assertTrue(date.find(), "no IMF-fixdate Date in " + response);
        OptionalLong seconds = HttpDates.parseSeconds(date.group(1));
        assertTrue(seconds.isPresent(), date.group(1));
        assertTrue(seconds.getAsLong() >= before.getEpochSecond() && seconds.getAsLong() <= after.getEpochSecond(),
                date.group(1) + " is not between " + before + " and " + after);
        assertTrue(!date.find(), "two Date headers in " + response);
    }

    private void assertDated(int status, String method, String target, String headers) throws Exception {
        Instant before = Instant.now();
        String response = send(method, target, headers);
        Instant after = Instant.now();
        assertEquals(status, RawHttp.status(response), method + " " + target + ": " + response);
        assertDateBetween(response, before, after);
    }

    private String send(String method, String target, String headers) throws Exception {
        return RawHttp.exchange(server.localAddress().getPort(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestServers.basic() + "\r\n" + headers + "Connection: close\r\n\r\n");
    }

    private static String etag(String response) {
        Matcher tag = Pattern.compile("(?i)\r\netag: (\"[^\"]*\")").matcher(response);
        assertTrue(tag.find(), response);
        return tag.group(1);
    }
}
