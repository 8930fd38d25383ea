// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.List;
import java.util.Map;

/**
 * One server under one load on one path of the offload benchmark, over every round: the rounds' metrics
 * ({@link CellRound#metrics} plus the split of the server's CPU between its native threads and the JVM's),
 * their medians and ranges, and the ratio of each median to the kernel sendfile server's on the same path
 * and load.
 *
 * @param path the network between the servers and the client ({@code direct}, or through the relay)
 */
record OffloadCell(String path, String server, String load, List<Map<String, Double>> rounds, Map<String, Spread> summary,
        Map<String, Double> ratioToKernel) {

    /** CPU seconds per GiB of the server's threads that the JVM does not know (see {@link NativeThreads}). */
    static final String NATIVE_CPU_PER_GIB = "nativeThreadsCpuSecondsPerGiB";
    /** CPU seconds per GiB of the rest: the JVM's threads (Java code, GC, JIT). */
    static final String JVM_CPU_PER_GIB = "jvmThreadsCpuSecondsPerGiB";
    /**
     * How long the server's threads waited for a CPU while runnable, per second of the cell (schedstat): on
     * average how many of them were ready to run but had no core, the machine's other work's toll on a server.
     */
    static final String RUN_QUEUE_WAIT = "runQueueWaitPerSecond";

    private static final double GIB = 1024.0 * 1024 * 1024;

    /** One round's metrics: the cell's, how its CPU splits between native and JVM threads, the run-queue wait. */
    static Map<String, Double> metrics(CellRound round, ProcFs.CpuTicks nativeThreads, ProcFs.SchedStat sched) {
        Map<String, Double> m = round.metrics();
        double gib = round.wrk().bytes() / GIB;
        double nativeSeconds = nativeThreads.totalSeconds();
        m.put(NATIVE_CPU_PER_GIB, gib > 0 ? nativeSeconds / gib : 0);
        m.put(JVM_CPU_PER_GIB, gib > 0 ? (round.cpu().totalSeconds() - nativeSeconds) / gib : 0);
        m.put(RUN_QUEUE_WAIT, sched.waitNanos() / 1e3 / round.wrk().durationMicros());
        return m;
    }

    static OffloadCell of(String path, String server, String load, List<Map<String, Double>> rounds) {
        return new OffloadCell(path, server, load, rounds, Spread.ofRounds(rounds), Map.of());
    }

    /** This cell with the ratio of each of its medians to {@code kernel}'s. */
    OffloadCell withRatiosTo(OffloadCell kernel) {
        return new OffloadCell(path, server, load, rounds, summary, Spread.ratios(summary, kernel.summary));
    }

    double median(String metric) {
        Spread s = summary.get(metric);
        return s == null ? Double.NaN : s.median();
    }
}
