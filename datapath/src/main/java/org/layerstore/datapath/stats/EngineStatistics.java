// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.stats;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counters of one transmit or receive engine, updated by every transfer on any thread; services
 * and telemetry read {@link #snapshot()}.
 */
public final class EngineStatistics {

    private final String engine;
    private final LongAdder transfers = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder cpuCopiedBytes = new LongAdder();
    private final LongAdder syscalls = new LongAdder();
    private final LongAdder frames = new LongAdder();
    private final LongAdder sgEntries = new LongAdder();
    private final LongAdder runs = new LongAdder();
    private final LongAdder runBytes = new LongAdder();
    private final Map<String, LongAdder> fallbacks = new ConcurrentHashMap<>();

    public EngineStatistics(String engine) {
        this.engine = engine;
    }

    public String engine() {
        return engine;
    }

    /** A transfer started. */
    public void transferStarted() {
        transfers.increment();
    }

    /** A transfer ended with an error. */
    public void transferFailed() {
        failures.increment();
    }

    /** {@code moved} bytes reached the target; the CPU copied {@code cpuCopied} bytes to get them there. */
    public void moved(long moved, long cpuCopied) {
        bytes.add(moved);
        cpuCopiedBytes.add(cpuCopied);
    }

    public void syscalls(long count) {
        syscalls.add(count);
    }

    /** Frames built and the S/G entries they use (header entries included). */
    public void frames(long frameCount, long entries) {
        frames.add(frameCount);
        sgEntries.add(entries);
    }

    /** Physical runs found for {@code bytes} bytes (runs per MiB says how fragmented the page cache is). */
    public void runs(long runCount, long bytesCovered) {
        runs.add(runCount);
        runBytes.add(bytesCovered);
    }

    /** The engine could not do its own job and used another way, for this reason. */
    public void fallback(String reason) {
        fallbacks.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public EngineStatisticsSnapshot snapshot() {
        Map<String, Long> reasons = new TreeMap<>();
        fallbacks.forEach((reason, count) -> reasons.put(reason, count.sum()));
        return new EngineStatisticsSnapshot(engine, transfers.sum(), failures.sum(), bytes.sum(), cpuCopiedBytes.sum(),
                syscalls.sum(), frames.sum(), sgEntries.sum(), runs.sum(), runBytes.sum(), Map.copyOf(reasons));
    }
}
