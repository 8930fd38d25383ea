// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The appliance's Java heap while 256 connections fetch 4 KiB files: once as the launchers run it
 * (-Xmx128m: does it keep serving, and at what rate?) and once with the JVM's default maximum, a quarter
 * of the RAM (what would it use if let?).
 * Heap use comes from the GC log (-Xlog:gc: heap before and after each collection) and from
 * {@code jcmd GC.heap_info} taken halfway through the load.
 */
final class HeapProbe {

    /** One heap run. Sizes in MiB; heapInfo is jcmd's text. */
    record HeapRun(String name, List<String> jvmOptions, double idleRssMiB, double idleHeapUsedMiB, int connections,
            double requestsPerSecond, long errors,
            int collections, double peakUsedBeforeGcMiB, double maxLiveAfterGcMiB, double maxCommittedMiB,
            double jcmdUsedMiB, double jcmdCommittedMiB, double peakRssMiB, boolean outOfMemory, String heapInfo) {
    }

    private static final Pattern GC_LINE = Pattern.compile(
            "GC\\(\\d+\\) Pause.*?(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
    private static final Pattern HEAP_INFO = Pattern.compile("committed (\\d+)K, used (\\d+)K");

    /** How long the appliance rests after start before its idle memory is read. */
    static final Duration IDLE_SETTLE = Duration.ofSeconds(3);

    private final BenchContext context;

    HeapProbe(BenchContext context) {
        this.context = context;
    }

    List<HeapRun> run(int connections, Duration load) throws IOException, InterruptedException, VariantUnavailableException {
        return List.of(measure("jvm-default", List.of("-Xmx" + ramQuarterMiB() + "m"), connections, load),
                measure("xmx128m", List.of(), connections, load));
    }

    /** The JVM's default maximum heap on this machine: a quarter of MemTotal. */
    private static long ramQuarterMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024 / 4;
            }
        }
        throw new IOException("no MemTotal in /proc/meminfo");
    }

    private HeapRun measure(String name, List<String> extraOptions, int connections, Duration duration)
            throws IOException, InterruptedException, VariantUnavailableException {
        Path gcLog = context.workDir().resolve("gc-" + name + ".log");
        Files.deleteIfExists(gcLog);
        List<String> options = new java.util.ArrayList<>(extraOptions);
        options.add("-Xlog:gc:file=" + gcLog);
        Load load = Load.standard(context.files()).get(1).withConnections(connections);
        try (ApplianceLauncher.ApplianceServer server = context.launcher().startPlain("heap-" + name, options)) {
            long pid = server.pids().getFirst();
            Thread.sleep(IDLE_SETTLE.toMillis()); // started, nothing asked yet: the appliance at rest
            double idleRss = ProcFs.rssBytes(pid) / 1048576.0;
            double idleHeap = usedMiB(heapInfoAfter(pid, Duration.ZERO));
            ProcFs.resetPeakRss(List.of(pid));
            CompletableFuture<String> heapInfo = CompletableFuture.supplyAsync(() -> heapInfoAfter(pid, duration.dividedBy(2)));
            WrkRun run = context.wrk().run(server.baseUrl(), load, duration);
            String info = heapInfo.join();
            long rss = ProcFs.peakRssBytes(pid);
            boolean oom = server.process().output().stream().anyMatch(l -> l.contains("OutOfMemoryError"));
            server.close();
            GcLog gc = GcLog.parse(Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of());
            Matcher m = HEAP_INFO.matcher(info);
            double used = Double.NaN;
            double committed = Double.NaN;
            if (m.find()) {
                committed = Long.parseLong(m.group(1)) / 1024.0;
                used = Long.parseLong(m.group(2)) / 1024.0;
            }
            HeapRun result = new HeapRun(name, options, idleRss, idleHeap, connections, run.requestsPerSecond(), run.errors(), gc.collections,
                    gc.peakBefore, gc.maxAfter, gc.maxCommitted, used, committed, rss / 1048576.0, oom, info.strip());
            context.log().printf("heap %-12s %d connections: %.0f req/s, %d errors, %d GCs, peak used %.1f MiB, live %.1f MiB, "
                    + "committed %.1f MiB%n", name, connections, result.requestsPerSecond(), result.errors(),
                    result.collections(), result.peakUsedBeforeGcMiB(), result.maxLiveAfterGcMiB(), result.maxCommittedMiB());
            return result;
        }
    }

    /** The heap in use that jcmd's GC.heap_info reports, in MiB; NaN when it reports none. */
    private static double usedMiB(String heapInfo) {
        Matcher m = HEAP_INFO.matcher(heapInfo);
        return m.find() ? Long.parseLong(m.group(2)) / 1024.0 : Double.NaN;
    }

    private static String heapInfoAfter(long pid, Duration delay) {
        try {
            Thread.sleep(delay);
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.heap_info").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "jcmd failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** What the unified GC log's pause lines say: "GC(3) Pause Young ... 24M->3M(256M) 2.1ms". */
    record GcLog(int collections, double peakBefore, double maxAfter, double maxCommitted) {
        static GcLog parse(List<String> lines) {
            int count = 0;
            double before = 0;
            double after = 0;
            double committed = 0;
            for (String line : lines) {
                Matcher m = GC_LINE.matcher(line);
                if (m.find()) {
                    count++;
                    before = Math.max(before, mib(m.group(1), m.group(2)));
                    after = Math.max(after, mib(m.group(3), m.group(4)));
                    committed = Math.max(committed, mib(m.group(5), m.group(6)));
                }
            }
            return new GcLog(count, before, after, committed);
        }

        private static double mib(String value, String unit) {
            double v = Double.parseDouble(value);
            return switch (unit) {
                case "K" -> v / 1024;
                case "G" -> v * 1024;
                default -> v;
            };
        }
    }
}
