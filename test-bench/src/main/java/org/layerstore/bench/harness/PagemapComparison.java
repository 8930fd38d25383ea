// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.layerstore.bench.jmh.PagemapTranslationBenchmark;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The JMH benchmarks of the datapath's per-range work against a plain C loop over the same file: the C
 * loop (pagemap_loop.c) is compiled with gcc here, run {@code nativeTrials} times per benchmark and range
 * size in the mode that matches the benchmark, and the ratio Java / C of the medians is reported (1.0 =
 * as fast as C; higher = slower).
 */
final class PagemapComparison {

    /** One JMH benchmark and its native counterpart at one range size. */
    record Comparison(String benchmark, int rangeKiB, String nativeMode, double javaNsPerOp, double javaErrorNs,
            Spread nativeNsPerOp, double ratioJavaToC) {
    }

    /** A JMH benchmark method and the pagemap_loop.c mode that does the matching work in C. */
    record Benchmark(String method, String nativeMode) {

        String name() {
            return PagemapTranslationBenchmark.class.getName() + "." + method;
        }
    }

    /** The benchmark methods compared with the C loop. */
    static final List<Benchmark> BENCHMARKS = List.of(
            new Benchmark("javaPagemapPread", "translate"),
            new Benchmark("datapathDescriptorBuilding", "runs"));
    static final List<Integer> RANGES_KIB = List.of(64, 2048);

    private static final Pattern NS_PER_OP = Pattern.compile("ns_per_op=([0-9.]+)");

    private final HarnessSettings settings;
    private final Path workDir;
    private final PrintStream log;

    PagemapComparison(HarnessSettings settings, Path workDir, PrintStream log) {
        this.settings = settings;
        this.workDir = workDir;
        this.log = log;
    }

    List<Comparison> run(Path file) throws IOException, InterruptedException {
        Path loop = compileNativeLoop();
        List<Comparison> comparisons = new ArrayList<>();
        Collection<RunResult> jmh = runJmh(file);
        for (RunResult result : jmh) {
            String benchmark = result.getParams().getBenchmark();
            String nativeMode = BENCHMARKS.stream().filter(b -> b.name().equals(benchmark)).findFirst()
                    .orElseThrow(() -> new IOException("JMH ran " + benchmark + ", which has no C counterpart"))
                    .nativeMode();
            int rangeKiB = Integer.parseInt(result.getParams().getParam("rangeKiB"));
            double javaNs = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            Spread nativeNs = runNative(loop, file, rangeKiB, nativeMode);
            Comparison c = new Comparison(benchmark, rangeKiB, nativeMode, javaNs, Double.isNaN(error) ? 0 : error, nativeNs,
                    javaNs / nativeNs.median());
            log.printf("pagemap %s %d KiB: Java %.0f ns, C (%s) %.0f ns, ratio %.2f%n",
                    benchmark.substring(benchmark.lastIndexOf('.') + 1), rangeKiB, javaNs, nativeMode, nativeNs.median(),
                    c.ratioJavaToC());
            comparisons.add(c);
        }
        return comparisons;
    }

    private Collection<RunResult> runJmh(Path file) throws IOException {
        Options options = new OptionsBuilder()
                .include(String.join("|", BENCHMARKS.stream().map(b -> Pattern.quote(b.name()) + "$").toList()))
                .param("file", file.toString())
                .param("rangeKiB", RANGES_KIB.stream().map(String::valueOf).toArray(String[]::new))
                .forks(1)
                // JMH 1.37 reads fields with sun.misc.Unsafe; JDK 25 warns about it on every fork.
                .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow")
                .warmupIterations(settings.jmhWarmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.jmhIteration().toMillis()))
                .measurementIterations(settings.jmhMeasurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.jmhIteration().toMillis()))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT)
                .build();
        try {
            return new Runner(options).run();
        } catch (RunnerException e) {
            throw new IOException("JMH failed: " + e.getMessage(), e);
        }
    }

    private Spread runNative(Path loop, Path file, int rangeKiB, String mode) throws IOException, InterruptedException {
        List<Double> trials = new ArrayList<>();
        double seconds = settings.jmhIteration().toMillis() / 1000.0;
        for (int i = 0; i < settings.nativeTrials(); i++) {
            String out = runTool(List.of(loop.toString(), file.toString(), Integer.toString(rangeKiB), Double.toString(seconds),
                    mode));
            Matcher m = NS_PER_OP.matcher(out);
            if (!m.find()) {
                throw new IOException("pagemap_loop printed no result: " + out);
            }
            trials.add(Double.parseDouble(m.group(1)));
        }
        return Spread.of(trials);
    }

    private Path compileNativeLoop() throws IOException, InterruptedException {
        Path gcc = Tools.require("gcc", "apt-get install gcc");
        Path source = workDir.resolve("pagemap_loop.c");
        try (InputStream in = PagemapComparison.class.getResourceAsStream("pagemap_loop.c")) {
            if (in == null) {
                throw new IOException("pagemap_loop.c is missing from the harness's class path");
            }
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path binary = workDir.resolve("pagemap_loop");
        runTool(List.of(gcc.toString(), "-O2", "-std=c11", "-Wall", "-Wextra", "-Werror", source.toString(), "-o", binary.toString()));
        return binary;
    }

    private static String runTool(List<String> command) throws IOException, InterruptedException {
        try (ManagedProcess p = ManagedProcess.start(command.getFirst(), new ProcessBuilder(command))) {
            Optional<Integer> exit = p.awaitExit(Duration.ofMinutes(2));
            p.awaitOutputClosed(Duration.ofSeconds(5));
            if (exit.isEmpty() || exit.get() != 0) {
                throw new IOException(String.join(" ", command) + " failed (" + exit.map(String::valueOf).orElse("timeout")
                        + "): " + String.join("\n", p.output()));
            }
            return String.join("\n", p.output());
        }
    }
}
