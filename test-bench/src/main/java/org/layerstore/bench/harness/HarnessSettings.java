// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.time.Duration;
import java.util.List;

/**
 * How much the harness measures. {@link #full()} is the published run; {@link #smoke()} is the CI
 * check that every step still works end to end and writes its outputs, at the smallest sizes that still
 * exercise each: one round of one-second cells after a one-second warm-up, one engine variant (sendfile:
 * a named engine's variant is the same code path for every engine), small files, 32
 * heap-probe connections. It proves nothing about speed.
 */
record HarnessSettings(
        String mode,
        int rounds,
        Duration cell,
        Duration warmup,
        long bigBytes,
        int smallCount,
        int mediumCount,
        int emptyCount,
        List<String> engines,
        int startupLaunches,
        int heapConnections,
        Duration heapLoad,
        int jmhWarmupIterations,
        int jmhMeasurementIterations,
        Duration jmhIteration,
        int nativeTrials,
        boolean profile) {

    static HarnessSettings full() {
        return new HarnessSettings("full", 5, Duration.ofSeconds(8), Duration.ofSeconds(6), 256L << 20, 1000, 64, 100,
                ServerComparison.ENGINES, 5, 1000, Duration.ofSeconds(10), 3, 5, Duration.ofSeconds(1), 5, true);
    }

    static HarnessSettings smoke() {
        return new HarnessSettings("smoke", 1, Duration.ofSeconds(1), Duration.ofSeconds(1), 4L << 20, 16, 2, 4,
                List.of("sendfile"), 1, 32, Duration.ofSeconds(1), 0, 1, Duration.ofMillis(200), 1, true);
    }

    HarnessSettings withRounds(int newRounds) {
        return new HarnessSettings(mode, newRounds, cell, warmup, bigBytes, smallCount, mediumCount, emptyCount, engines,
                startupLaunches, heapConnections, heapLoad, jmhWarmupIterations, jmhMeasurementIterations, jmhIteration,
                nativeTrials, profile);
    }

    HarnessSettings withCell(Duration newCell) {
        return new HarnessSettings(mode, rounds, newCell, warmup, bigBytes, smallCount, mediumCount, emptyCount, engines,
                startupLaunches, heapConnections, heapLoad, jmhWarmupIterations, jmhMeasurementIterations, jmhIteration,
                nativeTrials, profile);
    }

    HarnessSettings withEngines(List<String> newEngines) {
        return new HarnessSettings(mode, rounds, cell, warmup, bigBytes, smallCount, mediumCount, emptyCount, newEngines,
                startupLaunches, heapConnections, heapLoad, jmhWarmupIterations, jmhMeasurementIterations, jmhIteration,
                nativeTrials, profile);
    }
}
