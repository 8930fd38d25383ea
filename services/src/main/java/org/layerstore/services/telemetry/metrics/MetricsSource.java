// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;

/**
 * Something that contributes values to each telemetry sample. Called from the telemetry thread once per
 * interval; an implementation must be quick (no blocking I/O beyond reading /proc or /sys) and must not
 * throw for a value it cannot read: it leaves that value out.
 */
@FunctionalInterface
public interface MetricsSource {

    /** The current values. */
    List<Metric> sample();
}
