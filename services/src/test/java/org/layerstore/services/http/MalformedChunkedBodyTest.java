package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Chunked PUT bodies that cannot be decoded, sent byte for byte onto an existing file: each is a 400, the
 * connection closes, and the file keeps its old content (RFC 9112 section 7.1).
 */
class MalformedChunkedBodyTest {

    private static final byte[] OLD = "the old content, which must survive\n".getBytes();

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Path share;

    @BeforeEach
    void start() throws IOException {
        share = Files.createDirectories(dir.resolve("share"));
        Files.write(share.resolve("doc.txt"), OLD);
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "zz\r\nhello\r\n0\r\n\r\n",                                  // not hex
        "-5\r\nhello\r\n0\r\n\r\n",                                  // negative
        "FFFFFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n",            // overflows
        "5\r\nhello\r\n5\r\nworld\r\nnot a chunk line\r\n0\r\n\r\n", // valid chunks, then garbage
        "5\r\nhello\r\n5\r\nworld\r\n\u0001\u0002\r\n",              // valid chunks, then control bytes
    })
    void anUndecodableChunkedBodyIs400AndTheFileIsUntouched(String body) throws Exception {
        String response = RawHttp.exchange(server.localAddress().getPort(), "PUT /files/doc.txt HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + TestServers.basic() + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
        assertEquals(400, RawHttp.status(response), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("connection: close"), response);
        assertArrayEquals(OLD, Files.readAllBytes(share.resolve("doc.txt")));
        assertEquals(List.of(), debris());
    }

    @Test
    void aTrailerTooLargeToDecodeIs400() throws Exception {
        String trailer = "X-Padding: " + "p".repeat(64 * 1024) + "\r\n";
        String response = RawHttp.exchange(server.localAddress().getPort(), "PUT /files/doc.txt HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + TestServers.basic() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n" + trailer + "\r\n");
        assertEquals(400, RawHttp.status(response), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("connection: close"), response);
        assertArrayEquals(OLD, Files.readAllBytes(share.resolve("doc.txt")));
        assertEquals(List.of(), debris());
    }

    private List<String> debris() throws IOException {
        try (Stream<Path> files = Files.list(share)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".layerstore-")).toList();
        }
    }
}
