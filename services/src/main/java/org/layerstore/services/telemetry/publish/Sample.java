// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.time.Instant;
import java.util.List;

import org.layerstore.services.telemetry.metrics.Metric;

/**
 * One telemetry sample.
 *
 * @param sequence  counts samples since start (from 1): a gap means samples were dropped, a repeat is a
 *                  redelivery after reconnect
 * @param timestamp when the values were read
 * @param metrics   the values
 */
public record Sample(long sequence, Instant timestamp, List<Metric> metrics) {
}
