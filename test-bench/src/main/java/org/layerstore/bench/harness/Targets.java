// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The targets, checked against one run. Reported, never enforced: a benchmark on a shared
 * 2-core machine is evidence, not a gate.
 */
final class Targets {

    /** One target: what was wanted, what was measured, and whether it was met. */
    record Target(String name, String goal, String measured, boolean met) {
    }

    private Targets() {
    }

    static List<Target> check(List<CellResult> cells, List<PagemapComparison.Comparison> pagemap,
            List<StartupProbe.StartupMode> startup, List<HeapProbe.HeapRun> heap) {
        List<Target> targets = new ArrayList<>();
        for (PagemapComparison.Comparison c : pagemap) {
            if (c.benchmark().endsWith("datapathDescriptorBuilding")) {
                targets.add(new Target("descriptor building, " + c.rangeKiB() + " KiB range", "<= 2.0x the C loop",
                        String.format(Locale.ROOT, "%.2fx", c.ratioJavaToC()), c.ratioJavaToC() <= 2.0));
            }
        }
        for (CellResult cell : cells) {
            if (!cell.isMeasured() || cell.server().equals(ServerComparison.BASELINE)) {
                continue;
            }
            if (cell.load().startsWith("big-")) {
                targets.add(ratio(cell, CellRound.Metric.THROUGHPUT, "throughput >= 1.0x nginx", 1.0, true));
                targets.add(ratio(cell, CellRound.Metric.CPU_PER_GIB, "CPU per GiB <= 1.0x nginx", 1.0, false));
            } else if (cell.load().equals("small-4KiB")) {
                targets.add(ratio(cell, CellRound.Metric.REQUESTS_PER_SECOND, "requests/s >= 0.7x nginx", 0.7, true));
            }
        }
        Optional<StartupProbe.StartupMode> aot = startup.stream().filter(m -> m.name().equals("aot-cache")).findFirst();
        aot.ifPresent(m -> targets.add(m.summary() == null
                ? new Target("launch to first byte (AOT cache)", "< 1500 ms", m.status(), false)
                : new Target("launch to first byte (AOT cache)", "< 1500 ms",
                        String.format(Locale.ROOT, "%.0f ms (median)", m.summary().median()), m.summary().median() < 1500)));
        for (HeapProbe.HeapRun run : heap) {
            double peak = Math.max(run.peakUsedBeforeGcMiB(), Double.isNaN(run.jcmdUsedMiB()) ? 0 : run.jcmdUsedMiB());
            String measured = String.format(Locale.ROOT, "peak used %.0f MiB, live after GC %.0f MiB, committed %.0f MiB; "
                    + "%.0f req/s, %d errors%s", peak, run.maxLiveAfterGcMiB(), run.maxCommittedMiB(), run.requestsPerSecond(),
                    run.errors(), run.outOfMemory() ? ", OutOfMemoryError" : "");
            if (run.name().equals("xmx128m")) {
                targets.add(new Target("heap at " + run.connections() + " connections, as the launchers run it (-Xmx128m)",
                        "<= 128 MiB used, no errors, no OOM", measured, peak <= 128 && run.errors() == 0 && !run.outOfMemory()));
            } else {
                targets.add(new Target("heap at " + run.connections() + " connections with the JVM's default maximum",
                        "for comparison", measured, true));
            }
        }
        return targets;
    }

    private static Target ratio(CellResult cell, String metric, String goal, double limit, boolean higherIsBetter) {
        Double r = cell.ratioToNginx().get(metric);
        boolean met = r != null && (higherIsBetter ? r >= limit : r <= limit);
        String measured = r == null ? "no ratio" : String.format(Locale.ROOT, "%.2fx (%s by %.0f%%)", r, met ? "met" : "missed",
                Math.abs(r - limit) / limit * 100);
        return new Target(cell.server() + " " + cell.load(), goal, measured, met);
    }
}
