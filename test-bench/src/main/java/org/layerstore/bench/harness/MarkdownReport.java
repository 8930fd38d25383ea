// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** results.md: the run's tables in Markdown, ready to paste into docs/benchmarks.md. */
final class MarkdownReport {

    static final String FILE = "results.md";

    private MarkdownReport() {
    }

    static void write(Path dir, Results r) throws IOException {
        StringBuilder md = new StringBuilder();
        MachineInfo m = r.machine();
        md.append(String.format(Locale.ROOT, "Run %s (%s mode, %s rounds of %s s per cell). Machine: %d CPUs (%s), kernel %s, "
                + "%d MiB RAM; %s; %s; %s.%n%n", r.startedAt(), r.mode(), r.settings().get("rounds"),
                r.settings().get("cellSeconds"), m.cpus(), m.cpuModel(), m.kernel(), m.memoryMiB(), m.java(), m.nginx(), m.wrk()));
        if (r.loads() != null) {
            md.append("#### Loads: the exact command lines (" + Results.LoadCommand.SERVER + " is each server's own port)\n\n"
                    + "| load | client | threads | connections | files | command |\n| --- | --- | --- | --- | --- | --- |\n");
            for (Results.LoadCommand l : r.loads()) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | `%s` |%n", l.load(), l.client(), l.threads(),
                        l.connections(), l.files(), l.command()));
            }
            md.append('\n');
        }
        if (r.cells() != null) {
            servers(md, r.cells());
        }
        if (r.pagemap() != null) {
            md.append("\n### Pagemap translation and descriptor building: JMH (Java) against the C loop, same file and range\n\n");
            md.append("| benchmark | range | Java ns/op (JMH, ± error) | C loop mode | C ns/op (median, min-max) | Java / C |\n"
                    + "| --- | --- | --- | --- | --- | --- |\n");
            for (PagemapComparison.Comparison p : r.pagemap()) {
                md.append(String.format(Locale.ROOT, "| %s | %d KiB | %.0f ± %.0f | `%s` | %.0f (%.0f-%.0f) | %.2f |%n",
                        p.benchmark().substring(p.benchmark().lastIndexOf('.') + 1), p.rangeKiB(), p.javaNsPerOp(),
                        p.javaErrorNs(), p.nativeMode(), p.nativeNsPerOp().median(), p.nativeNsPerOp().min(), p.nativeNsPerOp().max(),
                        p.ratioJavaToC()));
            }
        }
        if (r.startup() != null) {
            md.append("\n### Launch to first byte\n\n| JVM start | median ms | min-max ms | launches |\n| --- | --- | --- | --- |\n");
            for (StartupProbe.StartupMode s : r.startup()) {
                md.append(s.summary() == null
                        ? "| " + s.name() + " | " + s.status() + " | | |\n"
                        : String.format(Locale.ROOT, "| %s (`%s`) | %.0f | %.0f-%.0f | %d |%n", s.name(), String.join(" ", s.jvmOptions()),
                                s.summary().median(), s.summary().min(), s.summary().max(), s.launchMillis().size()));
            }
        }
        if (r.heap() != null) {
            md.append("\n### Heap while serving 4 KiB files to many connections\n\n");
            md.append("| JVM heap | idle RSS MiB | idle heap used MiB | connections | req/s | errors | GCs | peak used MiB (GC log) | live after GC MiB | committed MiB | jcmd used / committed MiB | RSS MiB |\n");
            md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (HeapProbe.HeapRun h : r.heap()) {
                md.append(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %d | %.0f | %d | %d | %.1f | %.1f | %.1f | %.1f / %.1f | %.0f |%n",
                        h.name(), h.idleRssMiB(), h.idleHeapUsedMiB(), h.connections(), h.requestsPerSecond(), h.errors(), h.collections(), h.peakUsedBeforeGcMiB(),
                        h.maxLiveAfterGcMiB(), h.maxCommittedMiB(), h.jcmdUsedMiB(), h.jcmdCommittedMiB(), h.peakRssMiB()));
            }
        }
        if (r.targets() != null) {
            md.append("\n### Targets\n\n| target | goal | measured | met |\n| --- | --- | --- | --- |\n");
            for (Targets.Target t : r.targets()) {
                md.append("| ").append(t.name()).append(" | ").append(t.goal()).append(" | ").append(t.measured())
                        .append(" | ").append(t.met() ? "yes" : "**no**").append(" |\n");
            }
        }
        if (!r.notes().isEmpty()) {
            md.append("\nNotes:\n\n");
            r.notes().forEach(n -> md.append("- ").append(n).append('\n'));
        }
        Files.writeString(dir.resolve(FILE), md);
    }

    private static void servers(StringBuilder md, List<CellResult> cells) {
        md.append("### Servers side by side (median of the rounds; min-max in brackets; ratio = appliance / nginx)\n\n");
        md.append("| load | server | MiB/s | req/s | latency p50 / p99 / p99.9 ms | CPU s/GiB (user+kernel) | CPU us/req | peak RSS MiB | errors | load avg | ratio MiB/s | ratio req/s | ratio CPU/GiB | ratio CPU/req |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        Map<String, String> unavailable = new LinkedHashMap<>();
        for (CellResult c : cells) {
            if (!c.isMeasured()) {
                unavailable.putIfAbsent(c.server(), c.status());
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.2f / %.2f / %.2f | %.3f (%.3f+%.3f) | %.1f | %.0f | %.0f | %.1f | %s | %s | %s | %s |%n",
                    c.load(), c.server() + (c.engineUsed() == null ? "" : " (" + c.engineUsed() + ")"),
                    spread(c, CellRound.Metric.THROUGHPUT, "%.0f"),
                    spread(c, CellRound.Metric.REQUESTS_PER_SECOND, "%.0f"), c.median(CellRound.Metric.LATENCY_P50),
                    c.median(CellRound.Metric.LATENCY_P99), c.median(CellRound.Metric.LATENCY_P999),
                    c.median(CellRound.Metric.CPU_PER_GIB), c.median(CellRound.Metric.USER_CPU_PER_GIB),
                    c.median(CellRound.Metric.SYSTEM_CPU_PER_GIB), c.median(CellRound.Metric.CPU_PER_REQUEST),
                    c.median(CellRound.Metric.PEAK_RSS), c.summary().get(CellRound.Metric.ERRORS).max(),
                    c.median(CellRound.Metric.LOAD_AVERAGE),
                    ratio(c, CellRound.Metric.THROUGHPUT), ratio(c, CellRound.Metric.REQUESTS_PER_SECOND),
                    ratio(c, CellRound.Metric.CPU_PER_GIB), ratio(c, CellRound.Metric.CPU_PER_REQUEST)));
        }
        if (!unavailable.isEmpty()) {
            md.append("\nVariants not measured (every load):\n\n");
            unavailable.forEach((server, status) -> md.append("- ").append(server).append(": ").append(status).append('\n'));
        }
    }

    private static String spread(CellResult c, String metric, String format) {
        Spread s = c.summary().get(metric);
        return String.format(Locale.ROOT, format + " (" + format + "-" + format + ")", s.median(), s.min(), s.max());
    }

    private static String ratio(CellResult c, String metric) {
        Double r = c.ratioToNginx().get(metric);
        return r == null ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }
}
