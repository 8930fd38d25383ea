// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicLong;

import org.layerstore.board.sensors.NicCounters;
import org.layerstore.services.telemetry.metrics.BoardReadings;
import org.layerstore.services.telemetry.metrics.EngineStats;
import org.layerstore.services.telemetry.metrics.FrameManagerStats;
import org.layerstore.services.telemetry.metrics.PlatformIdentity;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;

/**
 * Stand-ins for the datapath's, frame manager's and board's providers (other layers, built on other
 * branches): counters that grow by a fixed step at each read, so the tests know which values to expect.
 */
final class ScriptedProviders {

    static final long SENDFILE_STEP = 50L << 20;
    static final long FMAN_STEP = 120L << 20;
    static final double SOC_TEMPERATURE = 47.5;
    static final String BOARD = "LS1046A-RDB (scripted)";
    static final String HAL_BACKEND = "emulated frame manager (scripted)";

    private final AtomicLong reads = new AtomicLong();

    TelemetryProviders providers() {
        return new TelemetryProviders(new PlatformIdentity(BOARD, HAL_BACKEND),
                Optional.of(() -> {
                    long n = reads.incrementAndGet();
                    return List.of(new EngineStats("sendfile", n * SENDFILE_STEP, 0),
                            new EngineStats("fman", n * FMAN_STEP, n * 4096));
                }),
                Optional.of(() -> {
                    long n = reads.get();
                    return Optional.of(new FrameManagerStats(n * 1000, n * 3000, 2, 7, n));
                }),
                Optional.of(new BoardReadings() {
                    @Override
                    public OptionalDouble socTemperatureCelsius() {
                        return OptionalDouble.of(SOC_TEMPERATURE);
                    }

                    @Override
                    public Map<String, NicCounters> nicCounters() {
                        long n = reads.get();
                        return Map.of("eth0", new NicCounters(n * 1_000_000, n * 180_000_000L, n * 800, n * 120_000,
                                0, 0, 3, 0));
                    }
                }));
    }
}
