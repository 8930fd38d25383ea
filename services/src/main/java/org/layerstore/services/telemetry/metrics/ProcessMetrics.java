// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The appliance process and its host: CPU load, Java heap, resident memory, uptime, and what runs
 * (version, board, HAL backend). Group {@code system}.
 */
public final class ProcessMetrics implements MetricsSource {

    static final String GROUP = "system";
    private static final Path STATUS = Path.of("/proc/self/status");

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final PlatformIdentity identity;
    private final String version;
    private final Path status;

    public ProcessMetrics(PlatformIdentity identity, String version) {
        this(identity, version, STATUS);
    }

    ProcessMetrics(PlatformIdentity identity, String version, Path status) {
        this.identity = identity;
        this.version = version;
        this.status = status;
    }

    @Override
    public List<Metric> sample() {
        List<Metric> metrics = new ArrayList<>();
        double cpu = os.getCpuLoad();
        if (cpu >= 0) {
            metrics.add(Metric.gauge(GROUP, "cpu_load", round(cpu * 100), "%"));
        }
        double processCpu = os.getProcessCpuLoad();
        if (processCpu >= 0) {
            metrics.add(Metric.gauge(GROUP, "process_cpu_load", round(processCpu * 100), "%"));
        }
        double loadAverage = os.getSystemLoadAverage();
        if (loadAverage >= 0) {
            metrics.add(Metric.gauge(GROUP, "load_average_1m", round(loadAverage), ""));
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        metrics.add(Metric.gauge(GROUP, "heap_used", heap.getUsed(), "B"));
        metrics.add(Metric.gauge(GROUP, "heap_max", heap.getMax() < 0 ? heap.getCommitted() : heap.getMax(), "B"));
        residentBytes(status).ifPresent(rss -> metrics.add(Metric.gauge(GROUP, "rss", rss, "B")));
        metrics.add(Metric.gauge(GROUP, "uptime", ManagementFactory.getRuntimeMXBean().getUptime() / 1000, "s"));
        metrics.add(Metric.info(GROUP, "version", version));
        metrics.add(Metric.info(GROUP, "board", identity.board()));
        if (!identity.soc().isEmpty()) {
            metrics.add(Metric.info(GROUP, "soc", identity.soc()));
        }
        metrics.add(Metric.info(GROUP, "hal_backend", identity.halBackend()));
        infoWhenKnown(metrics, "host", identity.hostName());
        infoWhenKnown(metrics, "firmware_version", identity.firmware());
        infoWhenKnown(metrics, "slot", identity.slot());
        return metrics;
    }

    private static void infoWhenKnown(List<Metric> metrics, String name, String value) {
        if (!value.isEmpty()) {
            metrics.add(Metric.info(GROUP, name, value));
        }
    }

    /** VmRSS from /proc/self/status ("VmRSS:   123456 kB"), in bytes; empty where there is no such file. */
    static OptionalLong residentBytes(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
