// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attempts to leave the share, sent byte for byte on a raw socket (no client normalizes them first):
 * each is refused with 400, 403 or 404, and nothing outside the share is read or written.
 */
class PathEscapeTest {

    private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-SHARE";
    private static final Set<Integer> REFUSALS = Set.of(400, 403, 404);

    /** GET targets: traversal, encoded and double-encoded dots and separators, overlong UTF-8, NUL, links. */
    static final List<String> READ_ATTEMPTS = List.of(
            "/files/../secret.txt",
            "/files/..%2fsecret.txt",
            "/files/..%2Fsecret.txt",
            "/files/%2e%2e/secret.txt",
            "/files/%2E%2E/secret.txt",
            "/files/.%2e/secret.txt",
            "/files/%2e./secret.txt",
            "/files/%2e%2e%2fsecret.txt",
            "/files/..%5csecret.txt",
            "/files/..%5Csecret.txt",
            "/files/..\\secret.txt",
            "/files/%5c..%5csecret.txt",
            "/files/%2e%2e%5csecret.txt",
            "/files/..%c0%afsecret.txt",
            "/files/%c0%ae%c0%ae/secret.txt",
            "/files/%c0%2e%c0%2e/secret.txt",
            "/files/%e0%80%ae%e0%80%ae/secret.txt",
            "/files/%f0%80%80%ae%f0%80%80%ae/secret.txt",
            "/files/..%c1%9csecret.txt",
            "/files/%252e%252e/secret.txt",
            "/files/%252e%252e%252fsecret.txt",
            "/files/..%252fsecret.txt",
            "/files/secret.txt%00.jpg",
            "/files/%00/../secret.txt",
            "/files/..%00/secret.txt",
            "/files/.%00./secret.txt",
            "/files/./../secret.txt",
            "/files/sub/../../secret.txt",
            "/files/sub/%2e%2e/%2e%2e/secret.txt",
            "/files//../secret.txt",
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/files/../../../../../../etc/passwd",
            "/files/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "//etc/passwd",
            "/files/outlink",
            "/files/outdir/secret.txt",
            "/files/outdir/",
            "/files/abslink",
            "/files/sub/uplink",
            "http://127.0.0.1/files/../secret.txt",
            "/files/%u002e%u002e/secret.txt",
            "/files/%2e%2e%c0%afsecret.txt",
            "/files/%0a../secret.txt",
            "/files/..%ef%bc%8fsecret.txt",
            "/files/..;/secret.txt",
            "/files/.../secret.txt",
            "/files/..#/secret.txt",
            "/files/%2e%2e%23/secret.txt",
            "/files/.layerstore-upload-0.tmp",
            "secret.txt",
            "*");

    @TempDir
    Path dir;

    private Path share;
    private HttpFileServer server;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(dir.resolve("secret.txt"), SECRET);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), SECRET);
        Files.createDirectories(share.resolve("sub"));
        Files.createSymbolicLink(share.resolve("outlink"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(share.resolve("outdir"), outside);
        Files.createSymbolicLink(share.resolve("abslink"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(share.resolve("sub/uplink"), Path.of("../../secret.txt"));
        Files.writeString(share.resolve(".layerstore-upload-0.tmp"), SECRET);
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String send(String method, String target, String extraHeaders) throws Exception {
        return RawHttp.exchange(server.localAddress().getPort(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestServers.basic() + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
    }

    @Test
    void everyReadAttemptIsRefusedAndRevealsNothing() throws Exception {
        assertTrue(READ_ATTEMPTS.size() >= 40, "at least 40 attempts");
        List<String> leaks = new ArrayList<>();
        for (String target : READ_ATTEMPTS) {
            for (String method : List.of("GET", "PROPFIND")) {
                String response = send(method, target, method.equals("PROPFIND") ? "Depth: 0\r\n" : "");
                int status = RawHttp.status(response);
                if (!REFUSALS.contains(status) || response.contains(SECRET) || response.contains("root:")) {
                    leaks.add(method + " " + target + " -> " + status);
                }
            }
        }
        assertEquals(List.of(), leaks);
    }

    @Test
    void folderPagesAndPropfindLeaveOutLinksThatLeadOutside() throws Exception {
        Files.writeString(share.resolve("inside.txt"), "in");
        Files.createSymbolicLink(share.resolve("inlink"), Path.of("inside.txt"));
        Files.createSymbolicLink(share.resolve("abs-inlink"), share.resolve("inside.txt"));
        for (String response : List.of(send("GET", "/files/", ""), send("PROPFIND", "/files/", "Depth: 1\r\n"))) {
            assertTrue(response.contains("inlink") && response.contains("abs-inlink"), response);
            for (String outside : List.of("outlink", "outdir", "abslink")) {
                assertFalse(response.contains(outside), outside + " listed: " + response);
            }
        }
        for (String response : List.of(send("GET", "/files/sub/", ""), send("PROPFIND", "/files/sub/", "Depth: 1\r\n"))) {
            assertFalse(response.contains("uplink"), response);
        }
        assertEquals(200, RawHttp.status(send("GET", "/files/abs-inlink", "")), "an absolute link back inside is served");
    }

    @Test
    void writesThatWouldLandOutsideAreRefusedAndCreateNothing() throws Exception {
        List<String> targets = List.of("/files/../evil.txt", "/files/%2e%2e/evil.txt", "/files/outdir/evil.txt",
                "/files/sub/%2e%2e%2f..%2fevil.txt", "/files/..%5cevil.txt");
        for (String target : targets) {
            String put = send("PUT", target, "Content-Length: 4\r\n").concat("");
            assertTrue(REFUSALS.contains(RawHttp.status(put)), target + ": " + put);
            assertTrue(REFUSALS.contains(RawHttp.status(send("MKCOL", target, ""))), target);
        }
        for (String destination : List.of("/files/../evil.txt", "/files/outdir/evil.txt",
                "http://x/files/%2e%2e/evil.txt")) {
            Files.writeString(share.resolve("a.txt"), "a");
            String copy = send("COPY", "/files/a.txt", "Destination: " + destination + "\r\n");
            assertTrue(REFUSALS.contains(RawHttp.status(copy)), destination + ": " + copy);
            String move = send("MOVE", "/files/a.txt", "Destination: " + destination + "\r\n");
            assertTrue(REFUSALS.contains(RawHttp.status(move)), destination + ": " + move);
        }
        assertFalse(Files.exists(dir.resolve("evil.txt")));
        assertFalse(Files.exists(dir.resolve("outside/evil.txt")));
        assertTrue(Files.exists(share.resolve("a.txt")));
        assertEquals(SECRET, Files.readString(dir.resolve("secret.txt")));
    }
}
