// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.TestServers;
import org.layerstore.services.http.auth.UserDirectory;

/**
 * The command-line WebDAV clients Debian packages, as docs/file-sharing.md sets them up, against the real
 * server: rclone (upload a folder, verify every byte by downloading it, remove it) and cadaver (commands on
 * standard input, credentials from ~/.netrc: put, lock, unlock, mkcol, move, get). Both packages are in
 * test-bench/setup/debian-packages.txt.
 */
class RealClientsTest {

    /** .netrc splits its tokens at white space, so cadaver's user has a password without any. */
    private static final String NETRC_USER = "carol";
    private static final String NETRC_PASSWORD = "netrc-friendly-secret";

    @TempDir
    Path dir;

    private Path share;
    private HttpFileServer server;
    private String url;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Path users = TestServers.usersFile(dir);
        Files.writeString(users, NETRC_USER + ":" + UserDirectory.hash(NETRC_PASSWORD, 4) + "\n", StandardOpenOption.APPEND);
        server = TestServers.writable(share, users, TestServers.loopback());
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rcloneCopiesAFolderUpVerifiesItByDownloadAndPurgesIt() throws Exception {
        Path local = Files.createDirectories(dir.resolve("photos/2026"));
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new Random(3).nextBytes(big);
        Files.write(local.resolve("big.bin"), big);
        Files.writeString(local.getParent().resolve("notes.txt"), "holiday\n");
        String obscured = run(Map.of(), "rclone", "obscure", TestServers.PASSWORD).strip();
        Map<String, String> remote = Map.of("RCLONE_CONFIG_NAS_TYPE", "webdav", "RCLONE_CONFIG_NAS_URL", url,
                "RCLONE_CONFIG_NAS_VENDOR", "other", "RCLONE_CONFIG_NAS_USER", TestServers.USER,
                "RCLONE_CONFIG_NAS_PASS", obscured, "RCLONE_CONFIG", dir.resolve("rclone.conf").toString());

        run(remote, "rclone", "copy", dir.resolve("photos").toString(), "nas:photos");
        assertArrayEquals(big, Files.readAllBytes(share.resolve("photos/2026/big.bin")));
        run(remote, "rclone", "check", "--download", dir.resolve("photos").toString(), "nas:photos");

        run(remote, "rclone", "purge", "nas:photos");
        assertFalse(Files.exists(share.resolve("photos")), "purged");
    }

    @Test
    void cadaverPutsLocksMovesAndGetsWithCredentialsFromNetrc() throws Exception {
        Path netrc = Files.writeString(dir.resolve(".netrc"), "machine 127.0.0.1\n  login " + NETRC_USER
                + "\n  password " + NETRC_PASSWORD + "\n");
        Files.setPosixFilePermissions(netrc, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(dir.resolve("report.txt"), "quarterly numbers\n");
        String script = """
                put report.txt
                lock report.txt
                unlock report.txt
                mkcol archive
                move report.txt archive/report.txt
                get archive/report.txt back.txt
                quit
                """;
        ProcessBuilder pb = new ProcessBuilder("cadaver", url).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        Process cadaver = pb.start();
        cadaver.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        cadaver.getOutputStream().close();
        String output = new String(cadaver.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cadaver.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, cadaver.exitValue(), output);

        assertFalse(output.contains("failed"), output);
        assertEquals("quarterly numbers\n", Files.readString(share.resolve("archive/report.txt")), output);
        assertFalse(Files.exists(share.resolve("report.txt")), "moved: " + output);
        assertEquals("quarterly numbers\n", Files.readString(dir.resolve("back.txt")), output);
    }

    /** Runs a client with {@code environment} (HOME is the test's folder), failing with its output unless it exits 0. */
    private String run(Map<String, String> environment, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.environment().put("HOME", dir.toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", command) + " did not finish: " + output);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
        return output;
    }
}
