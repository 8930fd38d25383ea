// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance's own writes (PUT, MOVE, COPY, DELETE) over a real socket, each right after a GET that kept
 * the file open: the next GET answers what the write left, never the kept file.
 */
class OpenFileCacheOverHttpTest {

    @TempDir
    Path dir;
    private HttpFileServer server;

    @BeforeEach
    void start() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "first");
        Files.writeString(share.resolve("b.txt"), "bravo");
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theAppliancesOwnWritesAreSeenByTheNextGet() throws Exception {
        assertBody("first", "/files/a.txt");
        assertStatus(204, send("PUT", "/files/a.txt", "", "second"));
        assertBody("second", "/files/a.txt");

        assertBody("bravo", "/files/b.txt");
        assertStatus(204, send("COPY", "/files/a.txt", "Destination: /files/b.txt\r\nOverwrite: T\r\n", ""));
        assertBody("second", "/files/b.txt");

        assertStatus(201, send("MOVE", "/files/b.txt", "Destination: /files/c.txt\r\n", ""));
        assertStatus(404, send("GET", "/files/b.txt", "", ""));
        assertBody("second", "/files/c.txt");

        assertStatus(204, send("DELETE", "/files/a.txt", "", ""));
        assertStatus(404, send("GET", "/files/a.txt", "", ""));
        assertStatus(404, send("HEAD", "/files/a.txt", "", ""));
    }

    private void assertBody(String body, String target) throws Exception {
        String response = send("GET", target, "", "");
        assertStatus(200, response);
        assertTrue(response.endsWith("\r\n\r\n" + body), target + ": " + response);
    }

    private static void assertStatus(int status, String response) {
        assertEquals(status, RawHttp.status(response), response);
    }

    private String send(String method, String target, String headers, String body) throws Exception {
        return RawHttp.exchange(server.localAddress().getPort(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestServers.basic() + "\r\n" + headers + "Content-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
    }
}
