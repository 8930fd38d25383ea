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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark harness: the appliance (each transmit engine a variant) against nginx on the same
 * files, plus the pagemap translation and descriptor-building micro-benchmarks against C, launch-to-first-byte with and without an AOT
 * cache, heap at 256 connections, and JFR profiles. Writes results.json, results.md and ratios.svg.
 * Run it with test-bench/bench/run-benchmarks; docs/benchmarks.md explains the output.
 */
@Command(name = "run-benchmarks", mixinStandardHelpOptions = true, subcommands = OffloadPortBenchmark.class,
        description = "Benchmark the appliance against nginx and write results.json, results.md and ratios.svg "
                + "(5 rounds of 8 s cells; smoke: one round of 1 s cells, one engine variant, sendfile).")
public final class BenchmarkHarness implements Callable<Integer> {

    /** Steps that can be skipped with --skip. */
    static final Set<String> STEPS = Set.of("servers", "pagemap", "startup", "heap", "profile");

    @Option(names = "--repo", paramLabel = "DIR", defaultValue = ".",
            description = "The Layerstore checkout whose services/target/dist/lib is benchmarked (default: current folder).")
    Path repo;

    @Mixin
    RunOptions options;

    @Option(names = "--engines", paramLabel = "LIST", split = ",",
            description = "Transmit engines to try as appliance variants (default: copy,mmap,sendfile,splice,zerocopy; "
                    + "smoke: sendfile; '' for none: the build's default only).")
    List<String> engines;

    @Option(names = "--skip", paramLabel = "STEP", split = ",", description = "Steps to leave out: ${COMPLETION-CANDIDATES}.",
            completionCandidates = StepNames.class)
    List<String> skip = List.of();

    @Option(names = "--loads", paramLabel = "LIST", split = ",",
            description = "Only these loads in the servers step, by their names in docs/benchmarks.md (default: all).")
    List<String> loads = List.of();

    @Option(names = "--before-build", paramLabel = "DIR",
            description = "Another build's dist/lib folder, run beside this one as the variant 'appliance-before'.")
    Path beforeBuild;

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchmarkHarness()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        HarnessSettings settings = options.smoke ? HarnessSettings.smoke() : HarnessSettings.full();
        if (options.rounds != null) {
            settings = settings.withRounds(options.rounds);
        }
        if (options.cellSeconds != null) {
            settings = settings.withCell(Duration.ofSeconds(options.cellSeconds));
        }
        if (engines != null) {
            settings = settings.withEngines(engines.stream().filter(e -> !e.isBlank()).toList());
        }
        for (String step : skip) {
            if (!STEPS.contains(step)) {
                throw new CommandLine.ParameterException(new CommandLine(this), "unknown step '" + step + "'; steps: " + STEPS);
            }
        }
        Path outDir = options.outDir(repo);
        ServerSelection selection = new ServerSelection(Set.copyOf(loads),
                Optional.ofNullable(beforeBuild).map(Path::toAbsolutePath));
        Results results = run(settings, selection, repo.toAbsolutePath(), outDir, options.work, Set.copyOf(skip), System.out);
        System.out.println("Results: " + outDir.resolve(Results.FILE) + ", " + outDir.resolve(MarkdownReport.FILE) + ", "
                + outDir.resolve(RatioPlot.FILE));
        return results.notes().stream().anyMatch(n -> n.startsWith(FAILED)) ? 1 : 0;
    }

    static final String FAILED = "FAILED: ";

    /**
     * One whole run. A step that fails is recorded in the notes (starting with {@value #FAILED}) and the
     * run goes on, so one broken probe does not lose the others' numbers.
     */
    public static Results run(HarnessSettings settings, Path repo, Path outDir, Path workOrNull, Set<String> skip,
            PrintStream log) throws IOException, InterruptedException {
        return run(settings, ServerSelection.all(), repo, outDir, workOrNull, skip, log);
    }

    /** As {@link #run(HarnessSettings, Path, Path, Path, Set, PrintStream)}, the servers step as {@code selection} says. */
    static Results run(HarnessSettings settings, ServerSelection selection, Path repo, Path outDir, Path workOrNull,
            Set<String> skip, PrintStream log) throws IOException, InterruptedException {
        String startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        Files.createDirectories(outDir);
        Path workDir = workOrNull != null ? Files.createDirectories(workOrNull) : Files.createTempDirectory("layerstore-bench");
        List<String> notes = new ArrayList<>();
        TelemetryBroker broker = null;
        try {
            log.printf("Layerstore benchmarks (%s): work folder %s%n", settings.mode(), workDir);
            MachineInfo machine = MachineInfo.collect();
            BenchFiles files = BenchFiles.create(workDir.resolve("www"), settings.bigBytes(), settings.smallCount(),
                    settings.mediumCount(), settings.emptyCount());
            Wrk wrk = Wrk.prepare(workDir);
            broker = TelemetryBroker.start(workDir.resolve("mosquitto"));
            ApplianceLauncher launcher = new ApplianceLauncher(repo.resolve("services/target/dist/lib"),
                    workDir.resolve("appliance"), files, broker.url());
            BenchContext context = new BenchContext(files, launcher, wrk, workDir, log, repo);

            List<CellResult> cells = step("servers", skip, notes, () ->
                    new ServerComparison(settings, context, selection).run());
            List<PagemapComparison.Comparison> pagemap = step("pagemap", skip, notes, () ->
                    new PagemapComparison(settings, workDir, log).run(files.bigFile()));
            List<StartupProbe.StartupMode> startup = step("startup", skip, notes, () ->
                    new StartupProbe(context).run(settings.startupLaunches()));
            List<HeapProbe.HeapRun> heap = step("heap", skip, notes, () ->
                    new HeapProbe(context).run(settings.heapConnections(), settings.heapLoad()));
            List<JfrProfile.Profile> profiles = settings.profile() ? step("profile", skip, notes, () -> {
                JfrProfile profiler = new JfrProfile(context, outDir);
                List<JfrProfile.Profile> list = new ArrayList<>();
                for (Load load : Load.standard(files).subList(0, 2)) {
                    list.add(profiler.profile(load, settings.cell()));
                }
                return list;
            }) : null;
            notes.add("HEAD requests go to empty files: wrk 4.1 waits for a body after a HEAD response with a non-zero "
                    + "Content-Length.");
            List<Targets.Target> targets = Targets.check(cells == null ? List.of() : cells,
                    pagemap == null ? List.of() : pagemap, startup == null ? List.of() : startup,
                    heap == null ? List.of() : heap);
            Results results = new Results(startedAt, settings.mode(), describe(settings), machine,
                    Results.LoadCommand.of(Load.standard(files), wrk, settings.cell()), cells, pagemap, startup, heap,
                    profiles, targets, notes);
            results.write(outDir);
            MarkdownReport.write(outDir, results);
            if (cells != null) {
                RatioPlot.write(outDir, cells, "Layerstore appliance vs nginx, " + startedAt + " (" + machine.cpus() + " CPUs, "
                        + machine.cpuModel() + ")");
            }
            return results;
        } finally {
            if (broker != null) {
                broker.close();
            }
            if (workOrNull == null) {
                deleteTree(workDir);
            }
        }
    }

    /** A step of the run that produces a value. */
    interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(String name, Set<String> skip, List<String> notes, Step<T> step) throws InterruptedException {
        if (skip.contains(name)) {
            notes.add("step '" + name + "' skipped (--skip)");
            return null;
        }
        try {
            return step.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            notes.add(FAILED + "step '" + name + "': " + e);
            e.printStackTrace();
            return null;
        }
    }

    private static Map<String, Object> describe(HarnessSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rounds", s.rounds());
        m.put("cellSeconds", s.cell().toSeconds());
        m.put("warmupSeconds", s.warmup().toSeconds());
        m.put("bigFileBytes", s.bigBytes());
        m.put("smallFiles", s.smallCount());
        m.put("mediumFiles", s.mediumCount());
        m.put("emptyFiles", s.emptyCount());
        m.put("engines", s.engines());
        m.put("startupLaunches", s.startupLaunches());
        m.put("heapConnections", s.heapConnections());
        m.put("heapLoadSeconds", s.heapLoad().toSeconds());
        return m;
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The names --skip accepts, for the help text. */
    static final class StepNames extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        StepNames() {
            super(STEPS.stream().sorted().toList());
        }
    }
}
