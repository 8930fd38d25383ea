// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.bench;

import java.util.Map;

/**
 * One engine's run of {@code bench}: {@code bytes} sent in {@code wallNanos}, costing the sending thread
 * {@code cpuNanos} of CPU (user + system, so the kernel's work on the send path counts).
 */
public record EngineBenchResult(String engine, long bytes, long wallNanos, long cpuNanos, long cpuCopiedBytes,
                                long syscalls, Map<String, Long> fallbacks) {

    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    public double mibPerSecond() {
        return bytes / MIB / (wallNanos / 1e9);
    }

    /** Sender CPU seconds per GiB moved. */
    public double cpuSecondsPerGib() {
        return cpuNanos / 1e9 / (bytes / GIB);
    }
}
