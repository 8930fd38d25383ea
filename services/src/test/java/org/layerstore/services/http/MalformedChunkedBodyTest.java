// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerstore.services.config.LimitSettings;

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
        // Just over the limit: the server closes on answering, and bytes of ours it had not read yet would reset
        // the connection before the answer is read.
        String trailer = "X-Padding: " + "p".repeat(LimitSettings.DEFAULT_MAX_HEADER_BYTES + 1024) + "\r\n";
        String response = RawHttp.exchange(server.localAddress().getPort(), "PUT /files/doc.txt HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + TestServers.basic() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n" + trailer + "\r\n");
        assertEquals(400, RawHttp.status(response), response);
        assertTrue(response.toLowerCase(Locale.ROOT).contains("connection: close"), response);
        assertArrayEquals(OLD, Files.readAllBytes(share.resolve("doc.txt")));
        assertEquals(List.of(), debris());
    }

    @Test
    void aProppatchWhoseChunkedBodyBreaksAfterTheXmlIs400AndSetsNothing() throws Exception {
        String xml = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\"><D:set><D:prop>"
                + "<Z:colour>red</Z:colour></D:prop></D:set></D:propertyupdate>";
        String response = RawHttp.exchange(server.localAddress().getPort(), "PROPPATCH /files/doc.txt HTTP/1.1\r\n"
                + "Host: x\r\nAuthorization: " + TestServers.basic() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(xml.length()) + "\r\n" + xml + "\r\nnot a chunk line\r\n0\r\n\r\n");
        assertEquals(400, RawHttp.status(response), response);
        assertEquals(List.of(), Files.getFileAttributeView(share.resolve("doc.txt"), UserDefinedFileAttributeView.class).list());
    }

    private List<String> debris() throws IOException {
        try (Stream<Path> files = Files.list(share)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".layerstore-")).toList();
        }
    }
}
