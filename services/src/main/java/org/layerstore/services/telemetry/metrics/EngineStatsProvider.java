// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;

/**
 * The datapath's per-engine counters, implemented by the datapath layer. Called once per telemetry
 * interval from the telemetry thread; must not block.
 */
@FunctionalInterface
public interface EngineStatsProvider {

    /** Every engine that exists in this process, including those that have sent nothing yet. */
    List<EngineStats> engineStats();
}
