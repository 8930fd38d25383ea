// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The side-by-side comparison: nginx and every appliance variant are started once, then each round
 * puts every load on every running server in turn, rotating the servers' order from round to round
 * so none always runs first (on a warmer cache) or last. Before the first round every server serves
 * every load for the warm-up time, unmeasured: the JVM compiles its hot paths, nginx gets the same.
 */
final class ServerComparison {

    /** The appliance's transmit engines, each benchmarked as its own variant. */
    static final List<String> ENGINES = List.of("copy", "mmap", "sendfile", "splice", "zerocopy");
    static final String BASELINE = "nginx";
    static final String DEFAULT_APPLIANCE = "appliance";

    private final HarnessSettings settings;
    private final BenchFiles files;
    private final ApplianceLauncher appliance;
    private final Wrk wrk;
    private final Path workDir;
    private final PrintStream log;
    private final ServerSelection selection;

    ServerComparison(HarnessSettings settings, BenchContext context, ServerSelection selection) {
        this.selection = selection;
        this.settings = settings;
        this.files = context.files();
        this.appliance = context.launcher();
        this.wrk = context.wrk();
        this.workDir = context.workDir();
        this.log = context.log();
    }

    /** Every cell (server x load), measured or unavailable; ratios are to nginx. */
    List<CellResult> run() throws IOException, InterruptedException {
        List<Load> loads = selection.pick(Load.standard(files));
        List<RunningServer> running = new ArrayList<>();
        Map<String, String> engineOf = new LinkedHashMap<>();
        Map<String, String> unavailable = new LinkedHashMap<>();
        Map<String, String> engineUsed = new LinkedHashMap<>();
        try {
            running.add(NginxServer.start(workDir.resolve("nginx"), files.www()));
            engineOf.put(BASELINE, null);
            ApplianceLauncher.ApplianceServer defaultAppliance = startDefaultAppliance();
            running.add(defaultAppliance);
            engineOf.put(DEFAULT_APPLIANCE, null);
            engineUsed.put(DEFAULT_APPLIANCE, defaultAppliance.engineUsed());
            if (selection.beforeBuild().isPresent()) {
                ApplianceLauncher.ApplianceServer before = startBefore(selection.beforeBuild().get());
                running.add(before);
                engineOf.put(ServerSelection.BEFORE, null);
                engineUsed.put(ServerSelection.BEFORE, before.engineUsed());
            }
            for (String engine : settings.engines()) {
                String name = DEFAULT_APPLIANCE + "-" + engine;
                engineOf.put(name, engine);
                try {
                    ApplianceLauncher.ApplianceServer server = appliance.start(name, Optional.of(engine), List.of());
                    running.add(server);
                    engineUsed.put(name, server.engineUsed());
                } catch (VariantUnavailableException e) {
                    log.printf("%s: unavailable: %s%n", name, e.getMessage());
                    unavailable.put(name, e.getMessage());
                }
            }
            Map<String, List<CellRound>> rounds = measure(running, loads);
            return results(loads, engineOf, engineUsed, unavailable, rounds);
        } finally {
            running.forEach(RunningServer::close);
        }
    }

    /** The appliance as built, without an engine key: it must run, or there is nothing to compare. */
    private ApplianceLauncher.ApplianceServer startDefaultAppliance() throws IOException, InterruptedException {
        try {
            return appliance.start(DEFAULT_APPLIANCE, Optional.empty(), List.of());
        } catch (VariantUnavailableException e) {
            throw new IOException("the appliance with its default engine did not start: " + e.getMessage(), e);
        }
    }

    /** The other build, its default engine: asked for, so it must run. */
    private ApplianceLauncher.ApplianceServer startBefore(Path distLib) throws IOException, InterruptedException {
        try {
            return appliance.withBuild(distLib).start(ServerSelection.BEFORE, Optional.empty(), List.of());
        } catch (VariantUnavailableException e) {
            throw new IOException("the build at " + distLib + " did not start: " + e.getMessage(), e);
        }
    }

    private Map<String, List<CellRound>> measure(List<RunningServer> servers, List<Load> loads)
            throws IOException, InterruptedException {
        if (!settings.warmup().isZero()) {
            for (Load load : loads) {
                for (RunningServer server : servers) {
                    log.printf("warm-up %s %s%n", server.name(), load.name());
                    wrk.run(server.baseUrl(), load, settings.warmup());
                }
            }
        }
        Map<String, List<CellRound>> rounds = new LinkedHashMap<>();
        for (int round = 0; round < settings.rounds(); round++) {
            List<RunningServer> order = rotated(servers, round);
            for (Load load : loads) {
                for (RunningServer server : order) {
                    CellRound cell = measureOnce(server, load);
                    log.printf("round %d %-20s %-20s %10.1f MiB/s %10.0f req/s %6.2f CPU s/GiB %7.1f CPU us/req load %.1f%n",
                            round + 1, server.name(), load.name(), cell.wrk().bytesPerSecond() / (1 << 20),
                            cell.wrk().requestsPerSecond(), cell.metrics().get(CellRound.Metric.CPU_PER_GIB),
                            cell.metrics().get(CellRound.Metric.CPU_PER_REQUEST), cell.loadAverage());
                    rounds.computeIfAbsent(key(server.name(), load.name()), k -> new ArrayList<>()).add(cell);
                }
            }
        }
        return rounds;
    }

    private CellRound measureOnce(RunningServer server, Load load) throws IOException, InterruptedException {
        List<Long> pids = server.pids();
        ProcFs.resetPeakRss(pids);
        ProcFs.CpuTicks before = ProcFs.cpu(pids);
        WrkRun run = wrk.run(server.baseUrl(), load, settings.cell());
        ProcFs.CpuTicks used = ProcFs.cpu(pids).minus(before);
        return new CellRound(run, used, ProcFs.peakRssBytes(pids), ProcFs.loadAverage());
    }

    private static List<CellResult> results(List<Load> loads, Map<String, String> engineOf, Map<String, String> engineUsed,
            Map<String, String> unavailable, Map<String, List<CellRound>> rounds) {
        List<CellResult> cells = new ArrayList<>();
        for (Load load : loads) {
            CellResult baseline = CellResult.measured(BASELINE, null, null, load.name(), rounds.get(key(BASELINE, load.name())));
            cells.add(baseline.withRatiosTo(baseline));
            engineOf.forEach((server, engine) -> {
                if (server.equals(BASELINE)) {
                    return;
                }
                if (unavailable.containsKey(server)) {
                    cells.add(CellResult.unavailable(server, engine, load.name(), unavailable.get(server)));
                } else {
                    cells.add(CellResult.measured(server, engine, engineUsed.get(server), load.name(), rounds.get(key(server, load.name())))
                            .withRatiosTo(baseline));
                }
            });
        }
        return cells;
    }

    private static String key(String server, String load) {
        return server + "|" + load;
    }

    static <T> List<T> rotated(List<T> list, int by) {
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            out.add(list.get((i + by) % list.size()));
        }
        return out;
    }
}
