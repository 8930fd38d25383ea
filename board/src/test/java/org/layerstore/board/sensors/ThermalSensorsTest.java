// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.board.Fixtures;
import org.layerstore.board.ProfileCatalog;

class ThermalSensorsTest {

    @Test
    void theLs1046aZonesAreReadInZoneOrderInMilliDegrees() {
        List<ThermalReading> zones = new ThermalSensors(Fixtures.root("ls1046ardb")).read();
        assertEquals(List.of("ddr-thermal", "serdes-thermal", "fman-thermal", "cluster-thermal", "sec-thermal"),
                zones.stream().map(ThermalReading::type).toList());
        assertEquals(47000L, zones.get(3).milliCelsius());
        assertEquals(47.0, zones.get(3).celsius());
        assertNull(zones.get(3).error());
    }

    @Test
    void theZonesFoundAreTheOnesTheProfileDeclares() {
        for (String board : List.of("ls1046ardb", "ls1046afrwy", "ls1043ardb")) {
            List<String> found = new ThermalSensors(Fixtures.root(board)).read().stream().map(ThermalReading::type).toList();
            assertEquals(ProfileCatalog.builtIn().require(board).thermalZones(), found, board);
        }
    }

    @Test
    void aHostWithoutThermalDriverHasNoZones() {
        assertEquals(List.of(), new ThermalSensors(Fixtures.root("qemu-arm64")).read());
    }

    @Test
    void zoneTenSortsAfterZoneTwo(@TempDir Path root) throws IOException {
        for (int zone : new int[] {10, 2}) {
            Path dir = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone" + zone));
            Files.writeString(dir.resolve("type"), "z" + zone + "\n");
            Files.writeString(dir.resolve("temp"), zone * 1000 + "\n");
        }
        Files.createDirectories(root.resolve("sys/class/thermal/cooling_device0"));
        assertEquals(List.of("thermal_zone2", "thermal_zone10"),
                new ThermalSensors(root).read().stream().map(ThermalReading::zone).toList());
    }

    @Test
    void anUnreadableTemperatureIsReportedWithItsCauseAndTheOtherZonesStillRead(@TempDir Path root) throws IOException {
        Path broken = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone0"));
        Files.writeString(broken.resolve("type"), "soc-thermal\n");
        Files.createDirectory(broken.resolve("temp"));
        Path garbled = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone1"));
        Files.writeString(garbled.resolve("type"), "pmic\n");
        Files.writeString(garbled.resolve("temp"), "hot\n");
        Path good = Files.createDirectories(root.resolve("sys/class/thermal/thermal_zone2"));
        Files.writeString(good.resolve("type"), "ambient\n");
        Files.writeString(good.resolve("temp"), "-5500\n");

        List<ThermalReading> zones = new ThermalSensors(root).read();
        assertNull(zones.get(0).milliCelsius());
        assertTrue(zones.get(0).error().contains("thermal_zone0/temp"), zones.get(0).error());
        assertTrue(Double.isNaN(zones.get(0).celsius()));
        assertTrue(zones.get(1).error().contains("'hot'"), zones.get(1).error());
        assertEquals(-5500L, zones.get(2).milliCelsius());
    }
}
