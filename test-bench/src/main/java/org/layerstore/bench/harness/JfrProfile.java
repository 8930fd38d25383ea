// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the appliance's time goes under a load: a JFR recording (profile settings) while wrk runs,
 * summarised with {@code jfr view hot-methods} (Java frames), the split of the process's CPU time into
 * user and kernel time from /proc (the sendfile work itself is kernel time, which JFR does not see), and,
 * where {@code perf} works, a CPU-clock sample of the process split by thread and by code (JIT-compiled
 * Java, the JVM itself, the kernel).
 */
final class JfrProfile {

    /** One profiled load: CPU split and the text of the JFR views (also written to the output folder). */
    record Profile(String load, double requestsPerSecond, double userCpuSeconds, double systemCpuSeconds,
            List<String> hotMethods, List<String> perfByThreadAndCode, String file) {
    }

    private final ApplianceLauncher launcher;
    private final Wrk wrk;
    private final Path outDir;
    private final PrintStream log;

    JfrProfile(BenchContext context, Path outDir) {
        this.launcher = context.launcher();
        this.wrk = context.wrk();
        this.outDir = outDir;
        this.log = context.log();
    }

    Profile profile(Load load, Duration duration) throws IOException, InterruptedException, VariantUnavailableException {
        Path recording = outDir.resolve("profile-" + load.name() + ".jfr");
        Path perfData = outDir.resolve("profile-" + load.name() + ".perf");
        Files.deleteIfExists(recording);
        List<String> options = List.of("-XX:StartFlightRecording=filename=" + recording + ",settings=profile,dumponexit=true");
        WrkRun run;
        ProcFs.CpuTicks used;
        try (ApplianceLauncher.ApplianceServer server = launcher.startPlain("profile-" + load.name(), options)) {
            wrk.run(server.baseUrl(), load, Duration.ofSeconds(2));
            ProcFs.CpuTicks before = ProcFs.cpu(server.pids());
            Optional<ManagedProcess> perf = startPerf(server.pids().getFirst(), perfData);
            run = wrk.run(server.baseUrl(), load, duration);
            used = ProcFs.cpu(server.pids()).minus(before);
            if (perf.isPresent()) {
                perf.get().stop(Duration.ofSeconds(30));
            }
        }
        List<String> perfSummary = perfReport(perfData);
        List<String> hot = jfrView("hot-methods", recording);
        List<String> text = new ArrayList<>();
        text.add("load " + load.name() + ": " + Math.round(run.requestsPerSecond()) + " req/s; appliance CPU user "
                + used.userSeconds() + " s, kernel " + used.systemSeconds() + " s");
        text.addAll(hot);
        text.addAll(jfrView("native-methods", recording));
        text.add("perf, share of CPU samples by thread and code ([JIT] = compiled or interpreted Java):");
        text.addAll(perfSummary);
        Path summary = outDir.resolve("profile-" + load.name() + ".txt");
        Files.write(summary, text);
        log.printf("profile %s: user %.2f s, kernel %.2f s; %s%n", load.name(), used.userSeconds(), used.systemSeconds(), summary);
        return new Profile(load.name(), run.requestsPerSecond(), used.userSeconds(), used.systemSeconds(),
                hot.stream().limit(30).toList(), perfSummary, summary.getFileName().toString());
    }

    /** perf record of the process's CPU clock, when perf is installed and allowed; empty otherwise. */
    private static Optional<ManagedProcess> startPerf(long pid, Path data) throws IOException, InterruptedException {
        Optional<Path> perf = Tools.find("perf");
        if (perf.isEmpty()) {
            return Optional.empty();
        }
        Files.deleteIfExists(data);
        ManagedProcess p = ManagedProcess.start("perf record", new ProcessBuilder(perf.get().toString(), "record", "-e", "cpu-clock",
                "-F", "999", "-o", data.toString(), "-p", Long.toString(pid)));
        Thread.sleep(300);
        return Optional.of(p);
    }

    private static List<String> perfReport(Path data) throws IOException, InterruptedException {
        Optional<Path> perf = Tools.find("perf");
        if (perf.isEmpty() || !Files.exists(data)) {
            return List.of("(perf not available)");
        }
        try (ManagedProcess p = ManagedProcess.start("perf report", new ProcessBuilder(perf.get().toString(), "report", "-i",
                data.toString(), "--sort", "comm,dso", "--stdio"))) {
            p.awaitExit(Duration.ofMinutes(2));
            p.awaitOutputClosed(Duration.ofSeconds(5));
            return p.output().stream().filter(l -> !l.startsWith("#") && !l.isBlank()).limit(25)
                    .map(l -> l.replaceAll("\\s+", " ").strip()).toList();
        } finally {
            Files.deleteIfExists(data);
        }
    }

    private static List<String> jfrView(String view, Path recording) throws IOException, InterruptedException {
        Path jfr = Path.of(System.getProperty("java.home"), "bin", "jfr");
        try (ManagedProcess p = ManagedProcess.start("jfr view", new ProcessBuilder(jfr.toString(), "view", "--width", "160",
                view, recording.toString()))) {
            p.awaitExit(Duration.ofMinutes(2));
            p.awaitOutputClosed(Duration.ofSeconds(5));
            return p.output();
        }
    }
}
