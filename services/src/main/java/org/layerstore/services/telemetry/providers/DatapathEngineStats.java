// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.providers;

import java.util.List;
import java.util.stream.Stream;

import org.layerstore.datapath.engine.ReceiveEngine;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.services.telemetry.metrics.EngineStats;
import org.layerstore.services.telemetry.metrics.EngineStatsProvider;

/**
 * The transmit and receive engines' counters, one entry per engine whether it has moved anything or not
 * (receive engines under their statistics names, {@code copy-receive} and {@code splice-receive}).
 * {@code auto} is left out: it only dispatches, and the bytes are counted by the engine it picked.
 */
public final class DatapathEngineStats implements EngineStatsProvider {

    private final TransmitEngines engines;

    public DatapathEngineStats(TransmitEngines engines) {
        this.engines = engines;
    }

    @Override
    public List<EngineStats> engineStats() {
        return Stream.concat(engines.all().stream().map(TransmitEngine::statistics),
                engines.receivers().stream().map(ReceiveEngine::statistics)).map(s -> {
                    EngineStatisticsSnapshot snapshot = s.snapshot();
                    return new EngineStats(snapshot.engine(), snapshot.bytes(), snapshot.cpuCopiedBytes());
                }).toList();
    }
}
