// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadTheResidentSetFromProcSelfStatus() throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t  204800 kB\nThreads:\t42\n");
        assertEquals(OptionalLong.of(204800L * 1024), ProcessMetrics.residentBytes(status));
        long real = ProcessMetrics.residentBytes(Path.of("/proc/self/status")).orElseThrow();
        assertTrue(real > 1 << 20 && real < Runtime.getRuntime().maxMemory() + (1L << 30), "this JVM's RSS: " + real);
        assertEquals(OptionalLong.empty(), ProcessMetrics.residentBytes(dir.resolve("missing")));
    }

    @Test
    void shouldComputeRatesFromCounterIncrements() {
        AtomicLong nanos = new AtomicLong();
        RateMeter meter = new RateMeter(nanos::get);
        assertEquals(0.0, meter.perSecond("x", 100), "no rate before a second reading");
        nanos.addAndGet(2_000_000_000L);
        assertEquals(50.0, meter.perSecond("x", 200));
        nanos.addAndGet(1_000_000_000L);
        assertEquals(0.0, meter.perSecond("x", 10), "a counter that restarted gives 0, not a negative rate");
    }

    @Test
    void shouldRefuseKeysThatAreNotValidTopicLevelsOrValuesOfTheWrongKind() {
        assertThrows(IllegalArgumentException.class, () -> Metric.gauge("system", "CPU Load", 1, "%"));
        assertThrows(IllegalArgumentException.class, () -> new Metric("system", "version", 1, "", Metric.Kind.INFO));
        assertThrows(IllegalArgumentException.class, () -> new Metric("system", "load", "high", "", Metric.Kind.GAUGE));
    }
}
