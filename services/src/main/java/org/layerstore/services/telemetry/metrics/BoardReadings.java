// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

import org.layerstore.board.sensors.NicCounters;

/**
 * What telemetry reads from the board layer: the SoC temperature, the NIC counters and the disks'.
 * Called once per telemetry interval from the telemetry thread; must not block.
 */
public interface BoardReadings {

    /** The SoC's temperature in degrees Celsius; empty where the board has no readable sensor. */
    OptionalDouble socTemperatureCelsius();

    /** The counters of the interfaces that carry shares' traffic, by interface name, in the board's order. */
    Map<String, NicCounters> nicCounters();

    /** The I/O counters of the block device under each share; shares on no block device (tmpfs) are left out. */
    default List<DiskCounters> disks() {
        return List.of();
    }
}
