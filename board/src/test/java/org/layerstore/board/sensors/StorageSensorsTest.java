// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.board.Fixtures;

class StorageSensorsTest {

    private final StorageSensors rdb = new StorageSensors(Fixtures.root("ls1046ardb"));

    @Test
    void aShareOnTheUsbDiskReadsThatDisksCapacityAndCounters() {
        StorageReading reading = rdb.read(Path.of("/srv/layerstore/files"));
        assertEquals("/srv/layerstore", reading.mountPoint());
        assertEquals("ext4", reading.fsType());
        assertEquals("/dev/sda1", reading.source());
        assertNull(reading.unavailable());
        BlockDeviceReading disk = reading.device();
        assertEquals("sda1", disk.device());
        assertEquals("8:1", disk.majorMinor());
        assertEquals(1953523120L * 512, disk.sizeBytes());
        assertEquals(120345, disk.readsCompleted());
        assertEquals(98765432L * 512, disk.bytesRead());
        assertEquals(543210, disk.writesCompleted());
        assertEquals(123456789L * 512, disk.bytesWritten());
        assertEquals(2, disk.inFlight());
        assertEquals(912345, disk.ioMillis());
    }

    @Test
    void aPathOnTheRootFileSystemReadsTheSdCard() {
        StorageReading reading = rdb.read(Path.of("/var/lib/layerstore"));
        assertEquals("/", reading.mountPoint());
        assertEquals("mmcblk0p2", reading.device().device());
        assertEquals(30547968L * 512, reading.device().sizeBytes());
    }

    @Test
    void aMountPointWithASpaceIsUnescaped() {
        StorageReading reading = rdb.read(Path.of("/media/my share/films"));
        assertEquals("/media/my share", reading.mountPoint());
        assertEquals("sda1", reading.device().device());
    }

    @Test
    void aPathNextToAMountPointIsNotInsideIt() {
        assertEquals("/", rdb.read(Path.of("/srv/layerstore2")).mountPoint());
    }

    @Test
    void tmpfsHasNoBlockDeviceAndSaysSo() {
        StorageReading reading = rdb.read(Path.of("/tmp/upload"));
        assertEquals("tmpfs", reading.fsType());
        assertNull(reading.device());
        assertTrue(reading.unavailable().contains("tmpfs") && reading.unavailable().contains("0:30"),
                reading.unavailable());
    }

    @Test
    void btrfsWithAnAnonymousDeviceIsFoundThroughItsMountSource() {
        StorageReading reading = new StorageSensors(Fixtures.root("generic-linux-x86")).read(Path.of("/home/me"));
        assertEquals("btrfs", reading.fsType());
        assertEquals("nvme0n1p2", reading.device().device());
        assertEquals("259:2", reading.device().majorMinor());
    }

    @Test
    void relativePathsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> rdb.read(Path.of("srv/layerstore")));
    }

    @Test
    void aMalformedMountinfoIsAnErrorNamingTheFile(@TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("proc/self"));
        Files.writeString(root.resolve("proc/self/mountinfo"), "21 1 179:2 / /\n");
        SensorException e = assertThrows(SensorException.class, () -> new StorageSensors(root).read(Path.of("/srv")));
        assertTrue(e.getMessage().contains("mountinfo") && e.getMessage().contains("malformed"), e.getMessage());
    }
}
