// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.ShareSettings;

/** PUT as real clients do it, and as they fail: killed halfway, too large, onto a full disk. */
class UploadTest {

    @TempDir
    Path dir;

    private HttpFileServer server;
    private Curl curl;
    private String url;

    private Path start(Path share, LimitSettings limits) throws IOException {
        HttpSettings http = TestServers.loopback().withLimits(limits);
        server = HttpFileServer.start(http, new AuthSettings(TestServers.usersFile(dir), null, true),
                List.of(new ShareSettings("files", share, false)));
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        return share;
    }

    private Path start() throws IOException {
        return start(Files.createDirectories(dir.resolve("share")), LimitSettings.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private Path file(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    /** The server's temporaries in the share's folder (listed without stat: one may vanish meanwhile). */
    private static List<String> debris(Path share) throws IOException {
        try (Stream<Path> files = Files.list(share)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".layerstore-")).toList();
        }
    }

    @Test
    void putCreatesThenReplacesAtomically() throws Exception {
        Path share = start();
        Path v1 = file("v1", 300_000, 1);
        Path v2 = file("v2", 200_000, 2);
        Curl.Response created = curl.run("-T", v1.toString(), url + "doc.bin");
        assertEquals(201, created.status());
        assertTrue(created.header("etag").startsWith("\""));
        assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(share.resolve("doc.bin")));
        assertEquals(204, curl.run("-T", v2.toString(), url + "doc.bin").status());
        assertArrayEquals(Files.readAllBytes(v2), curl.run(url + "doc.bin").body());
        // the body's first piece must be asked for whether it follows the headers or a 100 Continue
        for (String expect : List.of("Expect: 100-continue", "Expect:")) {
            for (int i = 0; i < 5; i++) {
                assertEquals(201, curl.run("-H", expect, "-T", v1.toString(), url + "e" + i + expect.length()).status());
            }
        }
        assertEquals(List.of(), debris(share));
    }

    @Test
    void chunkedUploadWithoutContentLengthWorks() throws Exception {
        Path share = start();
        Path v1 = file("v1", 1_000_003, 3);
        Curl.Response r = curl.run("-H", "Transfer-Encoding: chunked", "-T", v1.toString(), url + "chunked.bin");
        assertEquals(201, r.status());
        assertArrayEquals(Files.readAllBytes(v1), Files.readAllBytes(share.resolve("chunked.bin")));
        assertEquals(List.of(), debris(share));
    }

    @Test
    void anUploadKilledHalfwayLeavesTheOldFileAndNoDebris() throws Exception {
        Path share = start();
        Path old = file("old", 100_000, 4);
        Files.copy(old, share.resolve("doc.bin"));
        Path big = file("big", 8 << 20, 5);
        Process upload = new ProcessBuilder("curl", "-sS", "-u", TestServers.USER + ":" + TestServers.PASSWORD,
                "--limit-rate", "512K", "-T", big.toString(), url + "doc.bin").redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (debris(share).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, debris(share).size(), "the upload never started");
            Thread.sleep(500); // let some of the body land in the temporary
        } finally {
            upload.destroyForcibly();
            upload.waitFor(10, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!debris(share).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(List.of(), debris(share));
        assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(share.resolve("doc.bin")));
    }

    @Test
    void uploadsOverTheSizeLimitAre413AndLeaveNothing() throws Exception {
        Path share = start(Files.createDirectories(dir.resolve("share")),
                new LimitSettings(null, null, 100_000L, null, null, null, null, null, null, null, null));
        Path old = file("old", 1000, 6);
        Files.copy(old, share.resolve("doc.bin"));
        Path big = file("big", 300_000, 7);
        assertEquals(413, curl.run("-T", big.toString(), url + "doc.bin").status());
        assertEquals(413, curl.run("-H", "Transfer-Encoding: chunked", "-T", big.toString(), url + "doc.bin").status());
        assertEquals(List.of(), debris(share));
        assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(share.resolve("doc.bin")));
        assertEquals(201, curl.run("-T", old.toString(), url + "small.bin").status());
    }

    @Test
    void aFullDiskAnswers507AndLeavesNothingBehind() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        Path mountPoint = SmallTmpfs.mount(dir.resolve("tiny"), "1m");
        try {
            Path share = start(mountPoint, LimitSettings.defaults());
            Path old = file("old", 200_000, 8);
            Files.copy(old, share.resolve("doc.bin"));
            Path big = file("big", 2 << 20, 9);
            assertEquals(507, curl.run("-T", big.toString(), url + "doc.bin").status());
            assertEquals(507, curl.run("-H", "Transfer-Encoding: chunked", "-T", big.toString(), url + "new.bin").status());
            assertEquals(List.of(), debris(share));
            assertTrue(Files.notExists(share.resolve("new.bin")));
            assertArrayEquals(Files.readAllBytes(old), Files.readAllBytes(share.resolve("doc.bin")));
            assertEquals(204, curl.run("-T", old.toString(), url + "doc.bin").status()); // space is back
        } finally {
            server.close();
            server = null;
            SmallTmpfs.unmount(mountPoint);
        }
    }
}
