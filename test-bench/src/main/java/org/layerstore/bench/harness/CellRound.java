// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One server under one load for one round: wrk's numbers and the server's CPU and memory.
 *
 * @param wrk            what the client measured
 * @param cpu            CPU ticks the server's processes used during the run
 * @param peakRssBytes   the server's peak RSS during the run (summed over its processes)
 * @param loadAverage    the machine's one-minute load average as the run ended: how busy the cores were
 *                       with other work too (the figures of a shared machine mean little without it)
 */
record CellRound(WrkRun wrk, ProcFs.CpuTicks cpu, long peakRssBytes, double loadAverage) {

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    /** Every metric of the round by name; the same names appear in the summaries and ratios. */
    Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        double gib = wrk.bytes() / GIB;
        m.put(Metric.THROUGHPUT, wrk.bytesPerSecond() / MIB);
        m.put(Metric.REQUESTS_PER_SECOND, wrk.requestsPerSecond());
        m.put(Metric.LATENCY_P50, wrk.latencyMicros().p50() / 1000.0);
        m.put(Metric.LATENCY_P90, wrk.latencyMicros().p90() / 1000.0);
        m.put(Metric.LATENCY_P99, wrk.latencyMicros().p99() / 1000.0);
        m.put(Metric.LATENCY_P999, wrk.latencyMicros().p999() / 1000.0);
        m.put(Metric.CPU_PER_GIB, gib > 0 ? cpu.totalSeconds() / gib : 0);
        m.put(Metric.USER_CPU_PER_GIB, gib > 0 ? cpu.userSeconds() / gib : 0);
        m.put(Metric.SYSTEM_CPU_PER_GIB, gib > 0 ? cpu.systemSeconds() / gib : 0);
        m.put(Metric.CPU_PER_REQUEST, wrk.requests() > 0 ? cpu.totalSeconds() * 1e6 / wrk.requests() : 0);
        m.put(Metric.PEAK_RSS, peakRssBytes / MIB);
        m.put(Metric.ERRORS, (double) wrk.errors());
        m.put(Metric.LOAD_AVERAGE, loadAverage);
        return m;
    }

    /** Metric names and which direction is better. */
    static final class Metric {
        static final String THROUGHPUT = "throughputMiBps";
        static final String REQUESTS_PER_SECOND = "requestsPerSecond";
        static final String LATENCY_P50 = "latencyP50Ms";
        /** Not a property of the server: never turned into a ratio. */
        static final String LOAD_AVERAGE = "loadAverage1m";
        static final String LATENCY_P90 = "latencyP90Ms";
        static final String LATENCY_P99 = "latencyP99Ms";
        static final String LATENCY_P999 = "latencyP999Ms";
        static final String CPU_PER_GIB = "cpuSecondsPerGiB";
        static final String USER_CPU_PER_GIB = "userCpuSecondsPerGiB";
        static final String SYSTEM_CPU_PER_GIB = "systemCpuSecondsPerGiB";
        static final String CPU_PER_REQUEST = "cpuMicrosPerRequest";
        static final String PEAK_RSS = "peakRssMiB";
        static final String ERRORS = "errors";

        private Metric() {
        }
    }
}
