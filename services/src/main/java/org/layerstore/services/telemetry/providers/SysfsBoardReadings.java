// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.providers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

import org.layerstore.board.sensors.BlockDeviceReading;
import org.layerstore.board.sensors.NetworkSensors;
import org.layerstore.board.sensors.NicCounters;
import org.layerstore.board.sensors.NicReading;
import org.layerstore.board.sensors.SensorException;
import org.layerstore.board.sensors.StorageReading;
import org.layerstore.board.sensors.StorageSensors;
import org.layerstore.board.sensors.ThermalReading;
import org.layerstore.board.sensors.ThermalSensors;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.telemetry.metrics.BoardReadings;
import org.layerstore.services.telemetry.metrics.DiskCounters;

/**
 * The board layer's sysfs sensors as telemetry reads them, below one root ("/" on a running system).
 *
 * <p>SoC temperature: the hottest readable thermal zone among those the board profile declares (on Layerscape
 * every TMU site, DDR and SerDes included, is on the SoC die, so the hottest is what to watch); every readable
 * zone when the profile declares none or none of its zones is present. NICs: every interface of
 * /sys/class/net whose counters can be read. Disks: the block device under each share's root.
 */
public final class SysfsBoardReadings implements BoardReadings {

    private final ThermalSensors thermal;
    private final NetworkSensors network;
    private final StorageSensors storage;
    private final Set<String> socZones;
    private final List<ShareSettings> shares;

    /**
     * @param root     where /sys and /proc are read
     * @param socZones the thermal zone types the board profile declares (may be empty)
     * @param shares   the shares whose block devices are reported
     */
    public SysfsBoardReadings(Path root, List<String> socZones, List<ShareSettings> shares) {
        this.thermal = new ThermalSensors(root);
        this.network = new NetworkSensors(root);
        this.storage = new StorageSensors(root);
        this.socZones = Set.copyOf(socZones);
        this.shares = List.copyOf(shares);
    }

    @Override
    public OptionalDouble socTemperatureCelsius() {
        List<ThermalReading> readable = thermal.read().stream().filter(z -> z.milliCelsius() != null).toList();
        List<ThermalReading> declared = readable.stream().filter(z -> socZones.contains(z.type())).toList();
        return (declared.isEmpty() ? readable : declared).stream().mapToDouble(ThermalReading::celsius).max();
    }

    @Override
    public Map<String, NicCounters> nicCounters() {
        Map<String, NicCounters> nics = new LinkedHashMap<>();
        for (NicReading nic : network.read()) {
            NicCounters c = nic.counters();
            if (c.rxBytes() >= 0 && c.txBytes() >= 0) {
                nics.put(nic.name(), c);
            }
        }
        return nics;
    }

    @Override
    public List<DiskCounters> disks() {
        List<DiskCounters> disks = new ArrayList<>();
        for (ShareSettings share : shares) {
            StorageReading reading;
            try {
                reading = storage.read(share.root().toAbsolutePath());
            } catch (SensorException e) {
                continue; // no mount table to read: this sample has no disk counters for the share
            }
            BlockDeviceReading device = reading.device();
            if (device != null) {
                disks.add(new DiskCounters(share.name(), device.device(), device.bytesRead(), device.bytesWritten(),
                        device.readsCompleted(), device.writesCompleted(), device.inFlight()));
            }
        }
        return disks;
    }
}
