// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The numbers other layers provide to telemetry. Each provider is optional: its values are published
 * when it is present and left out of the sample (and out of Home Assistant discovery) when not.
 *
 * @param identity     board and live HAL backend
 * @param engines      the datapath's per-engine counters
 * @param frameManager the frame manager's counters
 * @param board        SoC temperature and NIC counters
 */
public record TelemetryProviders(PlatformIdentity identity, Optional<EngineStatsProvider> engines,
        Optional<FrameManagerStatsProvider> frameManager, Optional<BoardReadings> board) {

    /** These providers with {@code provider} as the datapath's engine counters. */
    public TelemetryProviders withEngines(EngineStatsProvider provider) {
        return new TelemetryProviders(identity, Optional.of(provider), frameManager, board);
    }

    /** The metrics sources for the providers that are present. */
    public List<MetricsSource> sources() {
        List<MetricsSource> sources = new ArrayList<>();
        engines.ifPresent(p -> sources.add(new EngineMetrics(p)));
        frameManager.ifPresent(p -> sources.add(new FrameManagerMetrics(p)));
        board.ifPresent(p -> sources.add(new BoardMetrics(p)));
        return sources;
    }
}
