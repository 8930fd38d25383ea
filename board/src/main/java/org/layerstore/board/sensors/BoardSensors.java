// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** All of the board's sensors below one root directory ("/" on a running system, a fixture tree in tests). */
public final class BoardSensors {

    private final ThermalSensors thermal;
    private final NetworkSensors network;
    private final StorageSensors storage;
    private final Clock clock;

    public BoardSensors(Path root, Clock clock) {
        this.thermal = new ThermalSensors(root);
        this.network = new NetworkSensors(root);
        this.storage = new StorageSensors(root);
        this.clock = clock;
    }

    /** The sensors of the running system. */
    public static BoardSensors live() {
        return new BoardSensors(Path.of("/"), Clock.systemUTC());
    }

    /** Reads every sensor once, with the storage under each of {@code paths} (the share roots). */
    public SensorSnapshot snapshot(List<Path> paths) {
        return new SensorSnapshot(clock.instant(), thermal.read(), network.read(),
                paths.stream().map(storage::read).toList());
    }
}
