// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The board layer's sensors and NIC counters. Called once per telemetry interval from the telemetry
 * thread; must not block.
 */
public interface BoardSensors {

    /** The SoC's temperature in degrees Celsius; empty where the board has no readable sensor. */
    OptionalDouble socTemperatureCelsius();

    /** The counters of the interfaces that carry shares' traffic. */
    List<NicCounters> nicCounters();

    /** The I/O counters of the block device under each share; shares on no block device (tmpfs) are left out. */
    default List<DiskCounters> disks() {
        return List.of();
    }
}
