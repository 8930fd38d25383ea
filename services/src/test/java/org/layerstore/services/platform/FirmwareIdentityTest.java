// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The firmware's identity read from a system tree: host name, image version, booted slot. */
class FirmwareIdentityTest {

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void theBoardFixtureNamesHostVersionAndSlot() {
        Path fixture = Path.of(System.getProperty("layerstore.boardFixtures"), "ls1046ardb");
        assertEquals(new FirmwareIdentity("ls1046ardb", "0.1.0-20261203", "B"), FirmwareIdentity.read(fixture));
    }

    @Test
    void theImageVersionWinsOverTheDistributionVersionAndQuotesAreDropped() throws IOException {
        write("proc/sys/kernel/hostname", "layerstore-qemu\n");
        write("proc/cmdline", "root=PARTUUID=4c53b094-02 rootwait rauc.slot=A console=ttyAMA0 panic=10\n");
        write("etc/os-release", "NAME=\"Layerstore\"\nVERSION_ID='0.1.0'\nIMAGE_VERSION=b094526ffd8edded-update\n");
        assertEquals(new FirmwareIdentity("layerstore-qemu", "b094526ffd8edded-update", "A"), FirmwareIdentity.read(root));
        write("etc/os-release", "NAME=\"Layerstore\"\nVERSION_ID='0.1.0'\n");
        assertEquals("0.1.0", FirmwareIdentity.read(root).version());
    }

    @Test
    void aHostWithoutTheAbImageHasEmptyFields() throws IOException {
        write("proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet rauc.slot=\n");
        write("etc/os-release", "ID=debian\nVERSION_ID=\"\"\n");
        assertEquals(new FirmwareIdentity("", "", ""), FirmwareIdentity.read(root));
    }

    @Test
    void theSlotIsAWholeParameter() {
        assertEquals(Optional.of("B"), FirmwareIdentity.raucSlot("a=1 rauc.slot=B b=2"));
        assertEquals(Optional.empty(), FirmwareIdentity.raucSlot("xrauc.slot=B"));
        assertEquals(Optional.empty(), FirmwareIdentity.osReleaseValue(List.of("# IMAGE_VERSION=1"), "IMAGE_VERSION"));
    }

    @Test
    void anUnreadableFileIsAnErrorNamingIt() throws IOException {
        // A folder where os-release should be: readable by no one as lines, root included (EISDIR).
        Files.createDirectories(root.resolve("etc/os-release"));
        IllegalStateException error = assertThrows(IllegalStateException.class, () -> FirmwareIdentity.read(root));
        assertTrue(error.getMessage().contains("etc/os-release"), error.getMessage());
    }
}
