package org.layerstore.services.telemetry.providers;

import java.util.List;

import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.services.telemetry.metrics.EngineStats;
import org.layerstore.services.telemetry.metrics.EngineStatsProvider;

/**
 * The transmit engines' counters, one entry per engine whether it has sent anything or not. {@code auto} is
 * left out: it only dispatches, and the bytes are counted by the engine it picked.
 */
public final class DatapathEngineStats implements EngineStatsProvider {

    private final TransmitEngines engines;

    public DatapathEngineStats(TransmitEngines engines) {
        this.engines = engines;
    }

    @Override
    public List<EngineStats> engineStats() {
        return engines.all().stream().map(TransmitEngine::statistics).map(s -> {
            EngineStatisticsSnapshot snapshot = s.snapshot();
            return new EngineStats(snapshot.engine(), snapshot.bytes(), snapshot.cpuCopiedBytes());
        }).toList();
    }
}
