// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;

/** Per-engine bytes, throughput and CPU-copied bytes. Group {@code engine.<name>}. */
public final class EngineMetrics implements MetricsSource {

    private final EngineStatsProvider provider;
    private final RateMeter rates = new RateMeter();

    public EngineMetrics(EngineStatsProvider provider) {
        this.provider = provider;
    }

    @Override
    public List<Metric> sample() {
        List<Metric> metrics = new ArrayList<>();
        for (EngineStats stats : provider.engineStats()) {
            String group = "engine." + stats.engine();
            metrics.add(Metric.counter(group, "bytes", stats.bytes(), "B"));
            metrics.add(Metric.gauge(group, "throughput", Math.round(rates.perSecond(group, stats.bytes())), "B/s"));
            metrics.add(Metric.counter(group, "cpu_copied_bytes", stats.cpuCopiedBytes(), "B"));
        }
        return metrics;
    }
}
