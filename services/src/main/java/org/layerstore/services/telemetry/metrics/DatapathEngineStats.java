package org.layerstore.services.telemetry.metrics;

import java.util.List;

import org.layerstore.datapath.engine.TransmitEngines;

/** The datapath engines' live counters, read from the appliance's engine registry (lock-free sums). */
public final class DatapathEngineStats implements EngineStatsProvider {

    private final TransmitEngines engines;

    public DatapathEngineStats(TransmitEngines engines) {
        this.engines = engines;
    }

    @Override
    public List<EngineStats> engineStats() {
        return engines.statistics().stream()
                .map(s -> new EngineStats(s.engine(), s.bytes(), s.cpuCopiedBytes()))
                .toList();
    }
}
