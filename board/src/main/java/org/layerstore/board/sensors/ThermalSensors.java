// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/** Reads /sys/class/thermal/thermal_zone*: each zone's type and temperature (milli-degrees Celsius). */
public final class ThermalSensors {

    private static final String PREFIX = "thermal_zone";

    private final Path classDirectory;

    public ThermalSensors(Path root) {
        this.classDirectory = root.resolve("sys/class/thermal");
    }

    public List<ThermalReading> read() {
        return SysfsDirectory.entries(classDirectory, name -> name.startsWith(PREFIX) && isNumber(name.substring(PREFIX.length())))
                .stream()
                .sorted(Comparator.comparingInt(zone -> Integer.parseInt(zone.getFileName().toString().substring(PREFIX.length()))))
                .map(ThermalSensors::readZone)
                .toList();
    }

    private static ThermalReading readZone(Path zone) {
        SysfsFile.Value type = SysfsFile.read(zone.resolve("type"));
        SysfsFile.Value temp = SysfsFile.read(zone.resolve("temp"));
        String zoneName = zone.getFileName().toString();
        String typeName = type.ok() ? type.text() : "";
        if (!temp.ok()) {
            return new ThermalReading(zoneName, typeName, null, temp.error());
        }
        try {
            return new ThermalReading(zoneName, typeName, Long.parseLong(temp.text()), null);
        } catch (NumberFormatException e) {
            return new ThermalReading(zoneName, typeName, null,
                    zone.resolve("temp") + " holds '" + temp.text() + "', not milli-degrees");
        }
    }

    private static boolean isNumber(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }
}
