// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real tmpfs of a few MiB, to fill up: the full-disk tests of the upload paths mount one (root only),
 * serve a share from it, and unmount it after the server is closed (the server holds its root open).
 */
final class SmallTmpfs {

    private SmallTmpfs() {
    }

    /** Mounts a tmpfs of {@code size} (as mount's size=, e.g. "1m") at {@code mountPoint}, created if missing. */
    static Path mount(Path mountPoint, String size) throws Exception {
        Files.createDirectories(mountPoint);
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "layerstore-test", mountPoint.toString());
        return mountPoint;
    }

    static void unmount(Path mountPoint) throws Exception {
        run("umount", mountPoint.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }
}
