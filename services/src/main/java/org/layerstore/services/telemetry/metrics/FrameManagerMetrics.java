// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;

/** The frame manager's counters. Group {@code frame_manager}. */
public final class FrameManagerMetrics implements MetricsSource {

    private static final String GROUP = "frame_manager";

    private final FrameManagerStatsProvider provider;

    public FrameManagerMetrics(FrameManagerStatsProvider provider) {
        this.provider = provider;
    }

    @Override
    public List<Metric> sample() {
        return provider.frameManagerStats().map(s -> List.of(
                Metric.counter(GROUP, "frames", s.frames(), ""),
                Metric.counter(GROUP, "sg_entries", s.sgEntries(), ""),
                Metric.counter(GROUP, "dma_errors", s.dmaErrors(), ""),
                Metric.counter(GROUP, "rejections", s.rejections(), ""),
                Metric.counter(GROUP, "ring_full_events", s.ringFullEvents(), "")))
                .orElse(List.of());
    }
}
