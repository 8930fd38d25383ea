// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thermal zone of /sys/class/thermal.
 *
 * @param zone             the zone's directory, e.g. {@code thermal_zone3}
 * @param type             the zone's type: the device-tree node name, e.g. {@code cluster-thermal}
 * @param milliCelsius     the temperature in milli-degrees Celsius; null when it could not be read
 * @param error            why the temperature could not be read; null when it was
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThermalReading(String zone, String type, Long milliCelsius, String error) {

    /** The temperature in degrees Celsius, or NaN when unreadable. */
    public double celsius() {
        return milliCelsius == null ? Double.NaN : milliCelsius / 1000.0;
    }
}
