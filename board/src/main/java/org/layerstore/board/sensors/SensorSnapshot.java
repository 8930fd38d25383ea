// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

/**
 * Everything the board's sensors said at one moment: what the telemetry publishes and {@code layerstore board} shows.
 *
 * @param takenAt  when the readings were taken (ISO-8601 in JSON)
 * @param thermal  every thermal zone, in zone order
 * @param network  every network interface, by name
 * @param storage  the storage under each path asked about (the shares), in the order asked
 */
public record SensorSnapshot(@JsonSerialize(using = ToStringSerializer.class) Instant takenAt, List<ThermalReading> thermal, List<NicReading> network,
        List<StorageReading> storage) {

    public SensorSnapshot {
        thermal = List.copyOf(thermal);
        network = List.copyOf(network);
        storage = List.copyOf(storage);
    }
}
