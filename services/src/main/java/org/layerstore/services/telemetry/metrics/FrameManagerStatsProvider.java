// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.Optional;

/**
 * The frame manager's counters, implemented by the HAL/datapath layer. Empty while no frame manager
 * (real or emulated) is in use. Called once per telemetry interval; must not block.
 */
@FunctionalInterface
public interface FrameManagerStatsProvider {

    Optional<FrameManagerStats> frameManagerStats();
}
