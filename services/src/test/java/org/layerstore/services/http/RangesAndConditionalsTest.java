// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.DemoCertificate;

/**
 * Every Range and conditional case of RFC 9110 the server supports, driven by curl, with exact status
 * codes, headers and bytes, once per transmit engine: auto (sendfile here) and each other engine named
 * in the share's configuration on plain HTTP, and copy under TLS (where bodies must pass through the SSL
 * engine). The access log's engine field is what tells them apart.
 */
class RangesAndConditionalsTest {

    private static final int SIZE = 1000;
    private static final byte[] CONTENT = content();
    private static final FileTime MODIFIED = FileTime.from(Instant.parse("2026-03-01T12:00:00Z"));
    private static final String LAST_MODIFIED = "Sun, 01 Mar 2026 12:00:00 GMT";

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Curl curl;
    private String url;
    private String etag;

    private static byte[] content() {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            b[i] = (byte) (i % 251);
        }
        return b;
    }

    /**
     * "plain" (the share's engine is auto: the 1000-byte file goes in its header's write, as copy), "tls"
     * (copy through the SSL engine), and "plain:ENGINE" for every transmit engine named in the share's
     * configuration.
     */
    static List<String> transports() {
        return List.of("plain", "tls", "plain:copy", "plain:mmap", "plain:sendfile", "plain:splice", "plain:zerocopy");
    }

    /** The engine the access log must show for {@code transport}. */
    private static String engineOf(String transport) {
        return transport.equals("tls") || transport.equals("plain") ? "copy" : transport.substring(6);
    }

    private void start(String transport) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path file = share.resolve("data.bin");
        Files.write(file, CONTENT);
        Files.setLastModifiedTime(file, MODIFIED);
        Files.createFile(share.resolve("empty.bin"));
        HttpSettings http = TestServers.loopback();
        String scheme = "http";
        if (transport.equals("tls")) {
            http = http.withTls(DemoCertificate.create(dir.resolve("tls")));
            scheme = "https";
            curl = new Curl(dir, "--cacert", dir.resolve("tls/cert.pem").toString());
        } else {
            curl = new Curl(dir);
        }
        ShareSettings files = new ShareSettings("files", share, true).withAnonymous("read");
        server = HttpFileServer.start(http, List.of(transport.startsWith("plain:") ? files.withEngine(engineOf(transport)) : files));
        url = scheme + "://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        etag = FileState.of(file).etag();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Curl.Response get(String... headers) throws Exception {
        return request("data.bin", headers);
    }

    private Curl.Response request(String name, String... headers) throws Exception {
        String[] args = new String[headers.length * 2 + 1];
        for (int i = 0; i < headers.length; i++) {
            args[2 * i] = "-H";
            args[2 * i + 1] = headers[i];
        }
        args[args.length - 1] = url + name;
        return curl.run(args);
    }

    private static byte[] slice(int first, int last) {
        return Arrays.copyOfRange(CONTENT, first, last + 1);
    }

    private static void assertPartial(Curl.Response r, int first, int last) {
        assertEquals(206, r.status());
        assertEquals("bytes " + first + "-" + last + "/" + SIZE, r.header("content-range"));
        assertEquals(Integer.toString(last - first + 1), r.header("content-length"));
        assertArrayEquals(slice(first, last), r.body());
    }

    private static void assertWhole(Curl.Response r) {
        assertEquals(200, r.status());
        assertNull(r.header("content-range"));
        assertEquals(Integer.toString(SIZE), r.header("content-length"));
        assertArrayEquals(CONTENT, r.body());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void wholeFileCarriesItsValidators(String transport) throws Exception {
        start(transport);
        Curl.Response r;
        try (AccessLogCapture log = new AccessLogCapture()) {
            r = get();
            String line = log.await("\"GET /files/data.bin HTTP/1.1\" 200 1000");
            assertTrue(line.contains(" engine=" + engineOf(transport) + " "), line);
            assertTrue(line.matches("127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}\\] .*"), line);
        }
        assertWhole(r);
        assertEquals("bytes", r.header("accept-ranges"));
        assertEquals(etag, r.header("etag"));
        assertTrue(etag.matches("\"[0-9a-f]+-3e8-[0-9a-f]+\""), etag);
        assertEquals(LAST_MODIFIED, r.header("last-modified"));
        assertEquals("application/octet-stream", r.header("content-type"));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void singleRanges(String transport) throws Exception {
        start(transport);
        assertPartial(get("Range: bytes=0-99"), 0, 99);
        assertPartial(get("Range: bytes=-100"), 900, 999);
        assertPartial(get("Range: bytes=900-"), 900, 999);
        assertPartial(get("Range: bytes=990-2000"), 990, 999);
        assertPartial(get("Range: bytes=-5000"), 0, 999);
        assertPartial(get("Range: bytes=999-999"), 999, 999);
        assertPartial(get("Range: bytes=5-5, 2000-3000"), 5, 5);
    }

    @ParameterizedTest
    @MethodSource("transports")
    void multipleRangesComeAsMultipartByteranges(String transport) throws Exception {
        start(transport);
        Curl.Response r = get("Range: bytes=0-9,20-29,-5");
        assertEquals(206, r.status());
        Matcher m = Pattern.compile("multipart/byteranges; boundary=(\\S+)").matcher(r.header("content-type"));
        assertTrue(m.matches(), r.header("content-type"));
        String b = m.group(1);
        byte[] expected = concat(
                part(b, 0, 9), part(b, 20, 29), part(b, 995, 999),
                ("\r\n--" + b + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, r.body());
        assertEquals(Integer.toString(expected.length), r.header("content-length"));
    }

    private static byte[] part(String boundary, int first, int last) {
        return concat(("\r\n--" + boundary + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes "
                + first + "-" + last + "/" + SIZE + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), slice(first, last));
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("transports")
    void unsatisfiableRangesAre416WithTheLength(String transport) throws Exception {
        start(transport);
        for (String range : List.of("bytes=1000-1100", "bytes=-0", "bytes=5000-", "bytes=1000-1000,2000-")) {
            Curl.Response r = get("Range: " + range);
            assertEquals(416, r.status(), range);
            assertEquals("bytes */1000", r.header("content-range"), range);
        }
        Curl.Response empty = request("empty.bin", "Range: bytes=0-0");
        assertEquals(416, empty.status());
        assertEquals("bytes */0", empty.header("content-range"));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void invalidTooManyOrOverlappingRangesAreIgnored(String transport) throws Exception {
        start(transport);
        assertWhole(get("Range: bytes=abc"));
        assertWhole(get("Range: items=0-1"));
        assertWhole(get("Range: bytes=9-5"));
        assertWhole(get("Range: bytes=0-1,x"));
        StringBuilder seventeen = new StringBuilder("Range: bytes=0-0");
        for (int i = 1; i < 17; i++) {
            seventeen.append(',').append(i * 10).append('-').append(i * 10);
        }
        assertWhole(get(seventeen.toString()));
        assertWhole(get("Range: bytes=0-100,50-150,60-160,70-170"));
        assertEquals(206, get("Range: bytes=0-100,50-150,60-160").status()); // two overlaps: within the limit
    }

    @ParameterizedTest
    @MethodSource("transports")
    void headWithARangeHasHeadersButNoBody(String transport) throws Exception {
        start(transport);
        Curl.Response r = curl.run("-I", "-H", "Range: bytes=10-19", url + "data.bin");
        assertEquals(206, r.status());
        assertEquals("bytes 10-19/1000", r.header("content-range"));
        assertEquals("10", r.header("content-length"));
        // with -I curl writes the head to the output too: nothing may follow it
        assertTrue(r.text().startsWith("HTTP/1.1 206 Partial Content\r\n"), r.text());
        assertTrue(r.text().endsWith("\r\n\r\n"), r.text());
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ifNoneMatchAndIfModifiedSince(String transport) throws Exception {
        start(transport);
        Curl.Response notModified = get("If-None-Match: " + etag);
        assertEquals(304, notModified.status());
        assertEquals(etag, notModified.header("etag"));
        assertEquals(0, notModified.body().length);
        assertEquals(304, get("If-None-Match: \"other\", " + etag).status());
        assertEquals(304, get("If-None-Match: W/" + etag).status()); // weak comparison
        assertEquals(304, get("If-None-Match: *").status());
        assertWhole(get("If-None-Match: \"other\""));
        assertEquals(304, get("If-Modified-Since: " + LAST_MODIFIED).status());
        assertEquals(304, get("If-Modified-Since: Sun, 01 Mar 2026 13:00:00 GMT").status());
        assertWhole(get("If-Modified-Since: Sun, 01 Mar 2026 11:59:59 GMT"));
        assertWhole(get("If-Modified-Since: not a date"));
        // If-None-Match wins over If-Modified-Since
        assertWhole(get("If-None-Match: \"other\"", "If-Modified-Since: " + LAST_MODIFIED));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ifMatchAndIfUnmodifiedSince(String transport) throws Exception {
        start(transport);
        assertWhole(get("If-Match: " + etag));
        assertWhole(get("If-Match: *"));
        assertEquals(412, get("If-Match: \"other\"").status());
        assertEquals(412, get("If-Match: W/" + etag).status()); // strong comparison
        // a GET that would be 404 stays 404: preconditions only guard what would otherwise succeed
        assertEquals(404, request("missing.bin", "If-Match: *").status());
        assertWhole(get("If-Unmodified-Since: " + LAST_MODIFIED));
        assertEquals(412, get("If-Unmodified-Since: Sun, 01 Mar 2026 11:59:59 GMT").status());
        // If-Match wins over If-Unmodified-Since
        assertWhole(get("If-Match: " + etag, "If-Unmodified-Since: Sun, 01 Mar 2026 11:59:59 GMT"));
    }

    @ParameterizedTest
    @MethodSource("transports")
    void ifRangeComparesStrongly(String transport) throws Exception {
        start(transport);
        assertPartial(get("Range: bytes=0-9", "If-Range: " + etag), 0, 9);
        assertWhole(get("Range: bytes=0-9", "If-Range: \"other\""));
        assertWhole(get("Range: bytes=0-9", "If-Range: W/" + etag));
        assertPartial(get("Range: bytes=0-9", "If-Range: " + LAST_MODIFIED), 0, 9);
        assertWhole(get("Range: bytes=0-9", "If-Range: Sun, 01 Mar 2026 11:00:00 GMT"));
    }
}
