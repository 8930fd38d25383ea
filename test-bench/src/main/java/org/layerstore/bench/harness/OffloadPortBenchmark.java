// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.layerstore.netstack.relay.Impairment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The offload port against kernel sendfile on the same kind of veth path (issue 14's benchmark): both
 * servers started once per path as {@link OffloadPortServers} describes, warmed up, then each round puts
 * every load on both, rotating which goes first; wrk runs in the client namespace. Per cell: throughput,
 * requests per second, latency, the server's CPU per GiB (utime + stime of its process) and how much of it
 * the native threads (the emulated frame manager) took, the machine's load average. Writes
 * {@value #JSON_FILE} and {@value OffloadPortReport#FILE}. A benchmark, never a gate.
 */
@Command(name = "offload-port", mixinStandardHelpOptions = true,
        description = "Benchmark the offload port against kernel sendfile over veth pairs (needs root); writes "
                + "offload-port.json and offload-port.md (3 rounds of 10 s cells; smoke: one round of 2 s cells, 8 MiB).")
final class OffloadPortBenchmark implements Callable<Integer> {

    static final String JSON_FILE = "offload-port.json";
    static final String DIRECT = "direct";
    /** The relay's queue per direction: its largest, so that a delay drops nothing at these rates. */
    private static final int RELAY_QUEUE = Impairment.MAX_LIMIT;

    @ParentCommand
    BenchmarkHarness harness;

    @Mixin
    RunOptions options;

    @Option(names = "--relay-delays", paramLabel = "MS", split = ",",
            description = "After the direct path, one path through the impairment relay per value, delaying frames by that "
                    + "many ms each way; 0 is the relay without delay (default 0,2; smoke 2; -1 alone: no relay).")
    List<Integer> relayDelays;

    /**
     * How much one run measures; {@code relayDelaysMs}: after the direct path, one path through the relay
     * per entry, delaying every frame by that many milliseconds each way (0: the relay without delay).
     */
    record Settings(String mode, int rounds, Duration cell, Duration warmup, long bigBytes, int smallCount, int mediumCount,
            List<Integer> relayDelaysMs) {
        static Settings full() {
            return new Settings("full", 3, Duration.ofSeconds(10), Duration.ofSeconds(5), 256L << 20, 1000, 64, List.of(0, 2));
        }

        static Settings smoke() {
            return new Settings("smoke", 1, Duration.ofSeconds(2), Duration.ofSeconds(1), 8L << 20, 16, 4, List.of(2));
        }

        Settings with(Integer newRounds, Integer newCellSeconds, List<Integer> newDelays) {
            return new Settings(mode, newRounds != null ? newRounds : rounds,
                    newCellSeconds != null ? Duration.ofSeconds(newCellSeconds) : cell, warmup, bigBytes, smallCount, mediumCount,
                    newDelays != null ? List.copyOf(newDelays) : relayDelaysMs);
        }

        Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rounds", rounds);
            m.put("cellSeconds", cell.toSeconds());
            m.put("warmupSeconds", warmup.toSeconds());
            m.put("bigFileBytes", bigBytes);
            m.put("smallFiles", smallCount);
            m.put("mediumFiles", mediumCount);
            m.put("relayDelaysMs", relayDelaysMs);
            return m;
        }
    }

    /** Everything one run measured: offload-port.json. */
    record OffloadResults(String startedAt, String mode, Map<String, Object> settings, MachineInfo machine,
            Map<String, List<String>> network, Map<String, Map<String, List<String>>> relayCounters,
            Map<String, String> serverCommands, List<Results.LoadCommand> loads, List<OffloadCell> cells,
            List<Double> loadAverages, List<String> notes) {
    }

    @Override
    public Integer call() throws Exception {
        List<Integer> delays = relayDelays == null ? null : relayDelays.stream().filter(d -> d >= 0).toList();
        Settings settings = (options.smoke ? Settings.smoke() : Settings.full()).with(options.rounds, options.cellSeconds, delays);
        Path repo = harness.repo.toAbsolutePath().normalize();
        Path outDir = options.outDir(repo);
        run(settings, repo, outDir, options.work, System.out);
        System.out.println("Results: " + outDir.resolve(JSON_FILE) + ", " + outDir.resolve(OffloadPortReport.FILE));
        return 0;
    }

    /** The loads: each size by one wrk thread and a few keep-alive connections, walking its files. */
    static List<Load> loads(BenchFiles files) {
        return List.of(
                new Load("big-" + BenchFiles.sizeName(files.bigBytes()), "GET", files.bigPattern(), 1, 4, files.bigBytes(),
                        Load.Client.WRK, 1),
                new Load("medium-1MiB", "GET", files.mediumPattern(), files.mediumCount(), 4, BenchFiles.MEDIUM_BYTES,
                        Load.Client.WRK, 1),
                new Load("small-4KiB", "GET", files.smallPattern(), files.smallCount(), 8, BenchFiles.SMALL_BYTES,
                        Load.Client.WRK, 1));
    }

    static OffloadResults run(Settings settings, Path repo, Path outDir, Path workOrNull, PrintStream log)
            throws IOException, InterruptedException {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Files.createDirectories(outDir);
        Path workDir = workOrNull != null ? Files.createDirectories(workOrNull) : Files.createTempDirectory("layerstore-obench");
        try {
            log.printf("Layerstore offload-port benchmark (%s): work folder %s%n", settings.mode(), workDir);
            MachineInfo machine = MachineInfo.collect();
            BenchFiles files = BenchFiles.create(workDir.resolve("www"), settings.bigBytes(), settings.smallCount(),
                    settings.mediumCount(), 0);
            Wrk wrk = Wrk.prepare(workDir);
            ApplianceLauncher launcher = new ApplianceLauncher(repo.resolve("services/target/dist/lib"),
                    workDir.resolve("appliance"), files, "");
            OffloadPortServers servers = new OffloadPortServers(launcher, files, workDir.resolve("config"));
            List<Load> loads = loads(files);
            List<OffloadCell> cells = new ArrayList<>();
            Map<String, List<String>> network = new LinkedHashMap<>();
            Map<String, String> commands = new LinkedHashMap<>();
            List<Double> loadAverages = new ArrayList<>();
            List<String> notes = new ArrayList<>();
            loadAverages.add(ProcFs.loadAverage());
            List<Results.LoadCommand> loadCommands = new ArrayList<>();
            Map<String, Map<String, List<String>>> relayCounters = new LinkedHashMap<>();
            Map<String, Integer> paths = new LinkedHashMap<>();
            paths.put(DIRECT, -1);
            settings.relayDelaysMs().forEach(d -> paths.put(d == 0 ? "relay" : "relay-delay-" + d + "ms", d));
            for (Map.Entry<String, Integer> p : paths.entrySet()) {
                String path = p.getKey();
                try (BenchNetwork net = p.getValue() < 0 ? BenchNetwork.direct()
                        : BenchNetwork.relayed("delay-ms=" + p.getValue() + ",limit=" + RELAY_QUEUE)) {
                    network.put(path, net.commands());
                    Wrk client = wrk.through(BenchNetwork.in(net.clientNamespace()));
                    if (loadCommands.isEmpty()) {
                        for (Load l : loads) {
                            loadCommands.add(new Results.LoadCommand(l.name(), "wrk", l.threads(), l.connections(), l.fileCount(),
                                    String.join(" ", client.command("http://SERVER:PORT", l, settings.cell()))));
                        }
                    }
                    cells.addAll(new PathRun(path, settings, net, servers, client, loads, log, commands, loadAverages).run());
                    if (p.getValue() >= 0) {
                        relayCounters.put(path, net.relayCounters());
                    }
                }
            }
            loadAverages.add(ProcFs.loadAverage());
            notes.add("CPU is utime + stime of the server's process from /proc/<pid>/stat; on veth the receiving side's "
                    + "softirq work often runs in the sender's context, so part of the client's receive path is in it, "
                    + "for both servers alike.");
            notes.add("The relay's delay queue holds up to " + RELAY_QUEUE + " frames per direction (its maximum), so it drops "
                    + "none at these rates; its counters at the end of each relayed path are in relayCounters.");
            OffloadResults results = new OffloadResults(startedAt, settings.mode(), settings.describe(), machine, network,
                    relayCounters, commands, loadCommands, cells, loadAverages, notes);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(outDir.resolve(JSON_FILE).toFile(), results);
            OffloadPortReport.write(outDir, results);
            return results;
        } finally {
            if (workOrNull == null) {
                BenchmarkHarness.deleteTree(workDir);
            }
        }
    }

    /** Both servers on one path: started, warmed up, measured round by round, stopped. */
    private record PathRun(String path, Settings settings, BenchNetwork network, OffloadPortServers servers, Wrk wrk,
            List<Load> loads, PrintStream log, Map<String, String> commands, List<Double> loadAverages) {

        List<OffloadCell> run() throws IOException, InterruptedException {
            List<OffloadPortServers.NetworkServer> running = new ArrayList<>();
            try {
                running.add(servers.startKernel(network, path));
                running.add(servers.startOffload(network, path));
                running.forEach(s -> commands.put(s.name() + " (" + path + ")", s.command()));
                warmUp(running);
                Map<String, Set<Long>> nativeThreads = new LinkedHashMap<>();
                for (OffloadPortServers.NetworkServer s : running) {
                    nativeThreads.put(s.name(), NativeThreads.of(s.process().pid()));
                    log.printf("%s: %d native threads %s%n", s.name(), nativeThreads.get(s.name()).size(),
                            nativeThreads.get(s.name()));
                }
                Map<String, List<Map<String, Double>>> rounds = new LinkedHashMap<>();
                for (int round = 0; round < settings.rounds(); round++) {
                    for (Load load : loads) {
                        for (OffloadPortServers.NetworkServer server : ServerComparison.rotated(running, round)) {
                            Map<String, Double> m = measureOnce(server, load, nativeThreads.get(server.name()));
                            log.printf("%s round %d %-16s %-12s %9.1f MiB/s %8.0f req/s %7.3f CPU s/GiB (native %.3f) "
                                    + "run-queue wait %.2f load %.1f%n", path, round + 1, server.name(), load.name(),
                                    m.get(CellRound.Metric.THROUGHPUT), m.get(CellRound.Metric.REQUESTS_PER_SECOND),
                                    m.get(CellRound.Metric.CPU_PER_GIB), m.get(OffloadCell.NATIVE_CPU_PER_GIB),
                                    m.get(OffloadCell.RUN_QUEUE_WAIT), m.get(CellRound.Metric.LOAD_AVERAGE));
                            loadAverages.add(m.get(CellRound.Metric.LOAD_AVERAGE));
                            rounds.computeIfAbsent(server.name() + "|" + load.name(), k -> new ArrayList<>()).add(m);
                        }
                    }
                }
                List<OffloadCell> cells = new ArrayList<>();
                for (Load load : loads) {
                    OffloadCell kernel = OffloadCell.of(path, OffloadPortServers.KERNEL, load.name(),
                            rounds.get(OffloadPortServers.KERNEL + "|" + load.name()));
                    OffloadCell offload = OffloadCell.of(path, OffloadPortServers.OFFLOAD, load.name(),
                            rounds.get(OffloadPortServers.OFFLOAD + "|" + load.name()));
                    cells.add(kernel.withRatiosTo(kernel));
                    cells.add(offload.withRatiosTo(kernel));
                }
                return cells;
            } finally {
                running.forEach(RunningServer::close);
            }
        }

        private void warmUp(List<OffloadPortServers.NetworkServer> running) throws IOException, InterruptedException {
            for (Load load : loads) {
                for (OffloadPortServers.NetworkServer server : running) {
                    log.printf("%s warm-up %s %s%n", path, server.name(), load.name());
                    wrk.run(server.baseUrl(), load, settings.warmup());
                }
            }
        }

        private Map<String, Double> measureOnce(OffloadPortServers.NetworkServer server, Load load, Set<Long> nativeIds)
                throws IOException, InterruptedException {
            List<Long> pids = server.pids();
            long pid = pids.getFirst();
            ProcFs.resetPeakRss(pids);
            ProcFs.CpuTicks before = ProcFs.cpu(pids);
            ProcFs.CpuTicks nativeBefore = sum(ProcFs.threadCpu(pid), nativeIds);
            ProcFs.SchedStat schedBefore = ProcFs.schedStat(pid);
            WrkRun run = wrk.run(server.baseUrl(), load, settings.cell());
            ProcFs.SchedStat sched = ProcFs.schedStat(pid).minus(schedBefore);
            ProcFs.CpuTicks nativeUsed = sum(ProcFs.threadCpu(pid), nativeIds).minus(nativeBefore);
            ProcFs.CpuTicks used = ProcFs.cpu(pids).minus(before);
            return OffloadCell.metrics(new CellRound(run, used, ProcFs.peakRssBytes(pids), ProcFs.loadAverage()), nativeUsed,
                    sched);
        }

        private static ProcFs.CpuTicks sum(Map<Long, ProcFs.CpuTicks> threads, Set<Long> ids) {
            ProcFs.CpuTicks total = new ProcFs.CpuTicks(0, 0);
            for (long id : ids) {
                ProcFs.CpuTicks t = threads.get(id);
                if (t != null) {
                    total = total.plus(t);
                }
            }
            return total;
        }
    }
}
