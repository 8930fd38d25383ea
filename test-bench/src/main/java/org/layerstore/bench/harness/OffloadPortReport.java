// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;

/** The offload benchmark's tables (offload-port.md): one per path, every figure with the machine and the commands. */
final class OffloadPortReport {

    static final String FILE = "offload-port.md";

    private OffloadPortReport() {
    }

    static void write(Path dir, OffloadPortBenchmark.OffloadResults r) throws IOException {
        StringBuilder md = new StringBuilder();
        MachineInfo m = r.machine();
        md.append(String.format(Locale.ROOT, "Run %s (%s mode, %s rounds of %s s per cell after %s s of warm-up per server "
                + "and load). Machine: %d CPUs (%s), kernel %s, %d MiB RAM; %s; %s. One-minute load average during the run: "
                + "%.1f to %.1f.%n%n", r.startedAt(), r.mode(), r.settings().get("rounds"), r.settings().get("cellSeconds"),
                r.settings().get("warmupSeconds"), m.cpus(), m.cpuModel(), m.kernel(), m.memoryMiB(), m.java(), m.wrk(),
                Collections.min(r.loadAverages()), Collections.max(r.loadAverages())));
        for (String path : r.network().keySet()) {
            md.append("#### Path ").append(path).append(" (median of the rounds; min-max in brackets; ratio = offload port / "
                    + "kernel sendfile)\n\n");
            md.append("| load | server | MiB/s | req/s | latency p50 / p99 ms | CPU s/GiB (user+kernel) | of it native threads "
                    + "| CPU us/req | run-queue wait s/s | errors | load avg | ratio MiB/s | ratio CPU/GiB |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (OffloadCell c : r.cells()) {
                if (c.path().equals(path)) {
                    md.append(row(c));
                }
            }
            md.append('\n');
        }
        md.append("Commands:\n\n```\n");
        r.network().forEach((path, commands) -> {
            md.append("# network, path ").append(path).append('\n');
            commands.forEach(c -> md.append(c).append('\n'));
        });
        r.serverCommands().forEach((server, command) -> md.append("# ").append(server).append('\n').append(command).append('\n'));
        r.loads().forEach(l -> md.append("# ").append(l.load()).append('\n').append(l.command()).append('\n'));
        md.append("```\n\n");
        r.relayCounters().forEach((path, relays) -> relays.forEach((end, lines) -> md.append("Relay counters, path ").append(path)
                .append(", server end ").append(end).append(": ").append(String.join("; ", lines)).append("\n\n")));
        r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        Files.writeString(dir.resolve(FILE), md.toString());
    }

    private static String row(OffloadCell c) {
        Map<String, Spread> s = c.summary();
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f / %.2f | %s (%.3f+%.3f) | %.3f | %.1f | %.2f | %.0f | %.1f | %s | %s |%n",
                c.load(), c.server(), range(s.get(CellRound.Metric.THROUGHPUT), "%.1f"),
                range(s.get(CellRound.Metric.REQUESTS_PER_SECOND), "%.0f"), c.median(CellRound.Metric.LATENCY_P50),
                c.median(CellRound.Metric.LATENCY_P99), range(s.get(CellRound.Metric.CPU_PER_GIB), "%.3f"),
                c.median(CellRound.Metric.USER_CPU_PER_GIB), c.median(CellRound.Metric.SYSTEM_CPU_PER_GIB),
                c.median(OffloadCell.NATIVE_CPU_PER_GIB), c.median(CellRound.Metric.CPU_PER_REQUEST),
                c.median(OffloadCell.RUN_QUEUE_WAIT), c.median(CellRound.Metric.ERRORS), c.median(CellRound.Metric.LOAD_AVERAGE),
                ratio(c, CellRound.Metric.THROUGHPUT), ratio(c, CellRound.Metric.CPU_PER_GIB));
    }

    private static String range(Spread s, String format) {
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", s.median(), s.min(), s.max());
    }

    private static String ratio(OffloadCell c, String metric) {
        Double v = c.ratioToKernel().get(metric);
        return v == null ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
