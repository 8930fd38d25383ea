// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the block device under a path (/proc/self/mountinfo gives the mount's MAJ:MIN, /sys/dev/block/MAJ:MIN
 * its sysfs directory) and reads its capacity and I/O counters. File systems that report an anonymous device
 * (major 0: btrfs, overlay, tmpfs) are looked up by their mount source (/dev/NAME -> /sys/class/block/NAME)
 * when it names a block device; otherwise the reading says there is no device.
 */
public final class StorageSensors {

    private final Path root;

    public StorageSensors(Path root) {
        this.root = root;
    }

    /**
     * @param path an absolute path as the system under {@code root} sees it; on the live system ("/") symbolic
     *             links in it are resolved first
     */
    public StorageReading read(Path path) {
        if (!path.isAbsolute()) {
            throw new IllegalArgumentException("storage is looked up for absolute paths, got " + path);
        }
        Path target = resolveLinks(path);
        MountTable mounts = MountTable.read(root.resolve("proc/self/mountinfo"));
        Optional<MountTable.Mount> found = mounts.holding(target);
        if (found.isEmpty()) {
            return new StorageReading(path.toString(), "", "", "", null, "no mount in mountinfo holds " + target);
        }
        MountTable.Mount mount = found.get();
        Optional<Path> sysDir = deviceDirectory(mount);
        if (sysDir.isEmpty()) {
            return new StorageReading(path.toString(), mount.mountPoint(), mount.fsType(), mount.source(), null,
                    mount.fsType() + " on " + mount.source() + " (" + mount.majorMinor() + ") has no block device");
        }
        return readDevice(path, mount, sysDir.get());
    }

    private Path resolveLinks(Path path) {
        if (!root.equals(Path.of("/")) || !Files.exists(path)) {
            return path.normalize();
        }
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.normalize();
        }
    }

    private Optional<Path> deviceDirectory(MountTable.Mount mount) {
        if (!mount.majorMinor().startsWith("0:")) {
            Path dir = root.resolve("sys/dev/block").resolve(mount.majorMinor());
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        if (mount.source().startsWith("/dev/")) {
            Path dir = root.resolve("sys/class/block").resolve(Path.of(mount.source()).getFileName().toString());
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private StorageReading readDevice(Path path, MountTable.Mount mount, Path dir) {
        Long sectors = SysfsFile.readLong(dir.resolve("size"));
        SysfsFile.Value stat = SysfsFile.read(dir.resolve("stat"));
        SysfsFile.Value dev = SysfsFile.read(dir.resolve("dev"));
        String devNumber = dev.ok() ? dev.text() : mount.majorMinor();
        if (sectors == null || !stat.ok()) {
            return new StorageReading(path.toString(), mount.mountPoint(), mount.fsType(), mount.source(), null,
                    "cannot read size/stat in " + dir + (stat.ok() ? "" : ": " + stat.error()));
        }
        // Documentation/block/stat.rst: read I/Os, read merges, read sectors, read ticks, write I/Os, write merges,
        // write sectors, write ticks, in_flight, io_ticks, time_in_queue, then discard and flush fields.
        List<String> fields = List.of(stat.text().trim().split("\\s+"));
        if (fields.size() < 11) {
            return new StorageReading(path.toString(), mount.mountPoint(), mount.fsType(), mount.source(), null,
                    dir.resolve("stat") + " has " + fields.size() + " fields, expected at least 11");
        }
        BlockDeviceReading device = new BlockDeviceReading(deviceName(dir), devNumber,
                sectors * BlockDeviceReading.SECTOR, Long.parseLong(fields.get(0)),
                Long.parseLong(fields.get(2)) * BlockDeviceReading.SECTOR, Long.parseLong(fields.get(4)),
                Long.parseLong(fields.get(6)) * BlockDeviceReading.SECTOR, Long.parseLong(fields.get(8)),
                Long.parseLong(fields.get(9)));
        return new StorageReading(path.toString(), mount.mountPoint(), mount.fsType(), mount.source(), device, null);
    }

    /** The kernel's name for the device: DEVNAME in its uevent, else the sysfs directory the link points to. */
    private static String deviceName(Path dir) {
        SysfsFile.Value uevent = SysfsFile.read(dir.resolve("uevent"));
        if (uevent.ok()) {
            for (String line : uevent.text().split("\n")) {
                if (line.startsWith("DEVNAME=")) {
                    return line.substring("DEVNAME=".length());
                }
            }
        }
        try {
            return dir.toRealPath().getFileName().toString();
        } catch (IOException e) {
            return dir.getFileName().toString();
        }
    }
}
