// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Reads /sys/class/net/*: operstate, speed, MTU and the statistics counters of every interface. */
public final class NetworkSensors {

    private final Path classDirectory;

    public NetworkSensors(Path root) {
        this.classDirectory = root.resolve("sys/class/net");
    }

    public List<NicReading> read() {
        return SysfsDirectory.entries(classDirectory, name -> !name.startsWith("."))
                .stream()
                .filter(java.nio.file.Files::isDirectory)
                .sorted(Comparator.comparing(dir -> dir.getFileName().toString()))
                .map(NetworkSensors::readInterface)
                .toList();
    }

    private static NicReading readInterface(Path dir) {
        SysfsFile.Value operstate = SysfsFile.read(dir.resolve("operstate"));
        Long speed = SysfsFile.readLong(dir.resolve("speed"));
        // The kernel reports SPEED_UNKNOWN as -1 where it answers at all.
        Long speedMbps = speed == null || speed <= 0 ? null : speed;
        Path stats = dir.resolve("statistics");
        NicCounters counters = new NicCounters(counter(stats, "rx_bytes"), counter(stats, "tx_bytes"),
                counter(stats, "rx_packets"), counter(stats, "tx_packets"), counter(stats, "rx_errors"),
                counter(stats, "tx_errors"), counter(stats, "rx_dropped"), counter(stats, "tx_dropped"));
        return new NicReading(dir.getFileName().toString(), operstate.ok() ? operstate.text() : "unknown", speedMbps,
                SysfsFile.readLong(dir.resolve("mtu")), counters);
    }

    private static long counter(Path stats, String name) {
        Long value = SysfsFile.readLong(stats.resolve(name));
        return value == null ? -1 : value;
    }
}
