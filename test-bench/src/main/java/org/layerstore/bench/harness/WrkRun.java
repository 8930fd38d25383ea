// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

/**
 * What one wrk run measured, as its Lua done() hook printed it.
 *
 * @param requests       completed responses
 * @param bytes          response bytes read (headers and bodies)
 * @param durationMicros the run's wall time
 * @param errors         connect, read, write, timeout errors and non-2xx/3xx statuses, added up
 * @param latencyMicros  response latency percentiles
 */
record WrkRun(long requests, long bytes, long durationMicros, long errors, Latency latencyMicros) {

    record Latency(long p50, long p90, long p99, long p999, long max, double mean) {
    }

    double seconds() {
        return durationMicros / 1e6;
    }

    double requestsPerSecond() {
        return requests / seconds();
    }

    double bytesPerSecond() {
        return bytes / seconds();
    }
}
