// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * COPY with Overwrite: T onto an existing file or folder of a real, nearly full filesystem (a 1 MiB tmpfs):
 * 507 Insufficient Storage (RFC 4918 section 9.8.5), the destination as it was, no temporary left.
 */
class FullDiskCopyTest {

    @TempDir
    Path dir;

    private Path mountPoint;
    private HttpFileServer server;
    private Curl curl;
    private String url;

    @BeforeEach
    void mount() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
        mountPoint = SmallTmpfs.mount(dir.resolve("tiny"), "1m");
        server = TestServers.writable(mountPoint, TestServers.usersFile(dir), TestServers.loopback());
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
    }

    @AfterEach
    void unmount() throws Exception {
        if (server != null) {
            server.close();
        }
        if (mountPoint != null) {
            SmallTmpfs.unmount(mountPoint);
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private Curl.Response copy(String from, String to) throws Exception {
        return curl.run("-X", "COPY", "-H", "Overwrite: T", "-H", "Destination: " + url + to, url + from);
    }

    @Test
    void aCopyOverAFileThatDoesNotFitIs507AndTheFileStays() throws Exception {
        byte[] old = bytes(300_000, 1);
        Files.write(mountPoint.resolve("dest.bin"), old);
        Files.write(mountPoint.resolve("big.bin"), bytes(600_000, 2));
        assertEquals(507, copy("big.bin", "dest.bin").status());
        assertArrayEquals(old, Files.readAllBytes(mountPoint.resolve("dest.bin")));
        assertEquals(List.of(), debris(mountPoint));
        assertEquals(old.length, curl.run(url + "dest.bin").body().length);
    }

    @Test
    void aCopyOverAFolderThatDoesNotFitIs507AndTheFolderStays() throws Exception {
        Path dest = Files.createDirectories(mountPoint.resolve("dest"));
        byte[] old = bytes(300_000, 3);
        Files.write(dest.resolve("kept.bin"), old);
        Path src = Files.createDirectories(mountPoint.resolve("src"));
        Files.write(src.resolve("one.bin"), bytes(300_000, 4));
        Files.write(src.resolve("two.bin"), bytes(300_000, 5));
        assertEquals(507, copy("src/", "dest/").status());
        assertArrayEquals(old, Files.readAllBytes(dest.resolve("kept.bin")));
        try (Stream<Path> files = Files.list(dest)) {
            assertEquals(List.of("kept.bin"), files.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals(List.of(), debris(mountPoint));
    }

    /** The server's own names at the share's root (an empty journal folder aside). */
    private static List<String> debris(Path share) throws Exception {
        try (Stream<Path> files = Files.list(share)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith(Share.RESERVED_PREFIX) && !n.equals(Replacement.JOURNAL)).toList();
        }
    }
}
