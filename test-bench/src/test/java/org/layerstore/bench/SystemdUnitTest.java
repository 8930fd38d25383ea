// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * services/src/dist/systemd/layerstore.service as systemd itself reads it: {@code systemd-analyze verify} inside a
 * temporary root that holds the host's systemd units (the targets the unit orders against) and the installed-system
 * launcher at /usr/bin/layerstore, as the image and the QEMU guest install it. "Accepted" means exit status 0 and
 * no diagnostic at all: systemd only warns (and exits 0) about settings it ignores.
 */
class SystemdUnitTest {

    private static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    private static final Path UNIT = REPO.resolve("services/src/dist/systemd/layerstore.service");
    private static final Path LAUNCHER = REPO.resolve("services/src/dist/bin/layerstore");
    private static final Path HOST_UNITS = Path.of("/lib/systemd/system");
    /** The board image's A/B health check (yocto/meta-layerstore/recipes-core/layerstore-slot). */
    private static final Path SLOT_FILES = REPO.resolve("yocto/meta-layerstore/recipes-core/layerstore-slot/files");

    @TempDir
    Path root;

    @BeforeEach
    void installedRoot() throws IOException, InterruptedException {
        assertTrue(Files.isDirectory(HOST_UNITS), "systemd is not installed (Debian package 'systemd', listed in "
                + "test-bench/setup/debian-packages.txt)");
        Path units = Files.createDirectories(root.resolve("lib/systemd/system"));
        ExternalCommand.run(60, "cp", "-a", HOST_UNITS + "/.", units.toString()).requireSuccess("copying the host's units");
        Files.copy(UNIT, units.resolve("layerstore.service"));
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.copy(LAUNCHER, bin.resolve("layerstore"));
        Files.setPosixFilePermissions(bin.resolve("layerstore"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(SLOT_FILES.resolve("layerstore-slot-health.service"), units.resolve("layerstore-slot-health.service"));
        Files.copy(SLOT_FILES.resolve("layerstore-slot-health"), bin.resolve("layerstore-slot-health"));
        Files.setPosixFilePermissions(bin.resolve("layerstore-slot-health"), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ExternalCommand verify() throws IOException, InterruptedException {
        return verify("layerstore.service");
    }

    private ExternalCommand verify(String unit) throws IOException, InterruptedException {
        return ExternalCommand.run(60, "systemd-analyze", "verify", "--root=" + root, unit);
    }

    @Test
    void systemdAcceptsTheSlotHealthUnitWithoutASingleDiagnostic() throws Exception {
        ExternalCommand result = verify("layerstore-slot-health.service");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("", result.output().strip());
    }

    @Test
    void systemdAcceptsTheUnitWithoutASingleDiagnostic() throws Exception {
        ExternalCommand result = verify();
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("", result.output().strip());
    }

    @Test
    void aMissingLauncherIsCaught() throws Exception {
        Files.delete(root.resolve("usr/bin/layerstore"));
        ExternalCommand result = verify();
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("/usr/bin/layerstore"), result.output());
    }

    @Test
    void aSettingSystemdWouldIgnoreIsCaught() throws Exception {
        Path unit = root.resolve("lib/systemd/system/layerstore.service");
        Files.writeString(unit, Files.readString(unit).replace("Restart=on-failure", "Restart=sometimes"));
        ExternalCommand result = verify();
        assertTrue(result.output().contains("sometimes"), "systemd-analyze said: " + result.output());
    }

    @Test
    void theUnitGrantsExactlyTheDatapathCapabilities() throws IOException {
        List<String> lines = Files.readAllLines(UNIT);
        String caps = "CAP_SYS_ADMIN CAP_IPC_LOCK CAP_NET_BIND_SERVICE";
        assertTrue(lines.contains("AmbientCapabilities=" + caps), lines.toString());
        assertTrue(lines.contains("CapabilityBoundingSet=" + caps), lines.toString());
        assertTrue(lines.contains("User=layerstore"), lines.toString());
        assertTrue(lines.contains("ExecStart=/usr/bin/layerstore serve --config /etc/layerstore/layerstore.yaml"),
                lines.toString());
    }
}
