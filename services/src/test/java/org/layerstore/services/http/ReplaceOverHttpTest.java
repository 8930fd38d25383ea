// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * COPY and MOVE with Overwrite: T onto an existing resource of the other kind (a file onto a folder, a folder
 * onto a file, a folder onto a folder), which one rename cannot replace: each answers 204 with the new
 * resource in place, the old one gone, and nothing of the server's own left behind (RFC 4918 sections 9.8.4,
 * 9.9.3), with either dead-property store.
 */
class ReplaceOverHttpTest {

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Path share;
    private Curl curl;
    private String url;

    @BeforeEach
    void layOut() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("file.txt"), "a file");
        Files.createDirectories(share.resolve("folder/sub"));
        Files.writeString(share.resolve("folder/sub/inner.txt"), "inside");
        Files.createDirectories(share.resolve("other"));
        Files.writeString(share.resolve("other/old.txt"), "old");
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
    }

    private void start(String deadProperties) throws Exception {
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback(), deadProperties);
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int request(String method, String from, String to) throws Exception {
        return curl.run("-X", method, "-H", "Overwrite: T", "-H", "Destination: " + url + to, url + from).status();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xattr", "sidecar"})
    void replacementsAcrossKindsComplete(String deadProperties) throws Exception {
        start(deadProperties);
        assertEquals(204, request("COPY", "file.txt", "other/"));
        assertEquals("a file", Files.readString(share.resolve("other")));
        assertEquals(204, request("COPY", "folder/", "other"));
        assertEquals("inside", Files.readString(share.resolve("other/sub/inner.txt")));
        assertEquals(204, request("MOVE", "file.txt", "folder/"));
        assertArrayEquals("a file".getBytes(), curl.run(url + "folder").body());
        assertEquals(204, request("MOVE", "other/", "folder"));
        assertEquals("inside", Files.readString(share.resolve("folder/sub/inner.txt")));
        assertTrue(Files.notExists(share.resolve("other")));
        try (Stream<Path> files = Files.walk(share)) {
            assertEquals(List.of(), files.map(p -> share.relativize(p).toString())
                    .filter(n -> n.contains(TemporaryNames.COPY + "-") || n.contains(TemporaryNames.REPLACED + "-")
                            || n.endsWith(".intent")).toList());
        }
    }
}
