// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.stats;

import java.util.Map;

/**
 * The counters of one engine at one moment.
 *
 * @param cpuCopiedBytes bytes the CPU copied on the sending side to move {@code bytes} (read+write copies
 *                       each byte twice, mmap+write once, sendfile and the descriptor path never)
 * @param runBytes       bytes covered by the {@code runs} physical runs found
 * @param fallbacks      reasons the engine could not do its own job, with how often
 */
public record EngineStatisticsSnapshot(String engine, long transfers, long failures, long bytes, long cpuCopiedBytes,
                                       long syscalls, long frames, long sgEntries, long runs, long runBytes,
                                       Map<String, Long> fallbacks) {

    private static final double MIB = 1024.0 * 1024.0;

    /** Physical runs per MiB of translated file data (0 when nothing was translated). */
    public double runsPerMiB() {
        return runBytes == 0 ? 0 : runs / (runBytes / MIB);
    }

    /** CPU-copied bytes per byte moved (2 for read+write, 1 for mmap+write, 0 for zero-copy paths). */
    public double copiesPerByte() {
        return bytes == 0 ? 0 : (double) cpuCopiedBytes / bytes;
    }
}
