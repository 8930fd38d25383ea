// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Launch to first byte: from starting the appliance's JVM until the first byte of a response to a GET
 * of a 4 KiB file arrives, polling the port every 2 ms. Measured with class data sharing off, with
 * the JDK's default CDS archive, and with an AOT cache (JEP 483/514/515: classes loaded and linked,
 * method profiles) recorded by a training run that serves every load once. Then as a user starts it:
 * {@code ./layerstore serve} with the cache {@code ./layerstore train} made, and with
 * {@code LAYERSTORE_AOT=0} (no cache).
 */
final class StartupProbe {

    /** One way of starting the JVM, and how its launches went. */
    record StartupMode(String name, List<String> jvmOptions, String status, List<Double> launchMillis, Spread summary) {
    }

    private static final Duration LIMIT = Duration.ofSeconds(60);

    private final ApplianceLauncher launcher;
    private final BenchFiles files;
    private final Wrk wrk;
    private final Path workDir;
    private final PrintStream log;
    private final Path repo;

    StartupProbe(BenchContext context) {
        this.repo = context.repo();
        this.launcher = context.launcher();
        this.files = context.files();
        this.wrk = context.wrk();
        this.workDir = context.workDir();
        this.log = context.log();
    }

    List<StartupMode> run(int launches) throws IOException, InterruptedException {
        List<StartupMode> modes = new ArrayList<>();
        modes.add(measure("cds-off", List.of("-Xshare:off"), launches));
        modes.add(measure("default-cds", List.of(), launches));
        Path cache = workDir.resolve("appliance.aot");
        Optional<String> trainingProblem = train(cache);
        List<String> aot = List.of("-XX:AOTMode=on", "-XX:AOTCache=" + cache);
        if (trainingProblem.isPresent()) {
            modes.add(new StartupMode("aot-cache", aot, "unavailable: " + trainingProblem.get(), List.of(), null));
        } else {
            modes.add(measure("aot-cache", aot, launches));
        }
        Optional<String> launcherTraining = trainLauncher();
        if (launcherTraining.isPresent()) {
            modes.add(new StartupMode("launcher-aot-cache", List.of(), "unavailable: " + launcherTraining.get(), List.of(),
                    null));
        } else {
            modes.add(measureLauncher("launcher-aot-cache", Map.of(), launches));
        }
        modes.add(measureLauncher("launcher-no-aot-cache", Map.of("LAYERSTORE_AOT", "0"), launches));
        return modes;
    }

    /** {@code ./layerstore train}: the launcher's own AOT cache for the jars built (the harness's build made it stale). */
    private Optional<String> trainLauncher() throws InterruptedException {
        try {
            ManagedProcess.runToEnd("layerstore train", List.of(repo.resolve("layerstore").toString(), "train"),
                    Duration.ofMinutes(10));
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code ./layerstore serve -c CONFIG} with {@code environment} added (and no build: the harness built it). */
    private StartupMode measureLauncher(String name, Map<String, String> environment, int launches)
            throws IOException, InterruptedException {
        List<String> shown = new ArrayList<>();
        environment.forEach((k, v) -> shown.add(k + "=" + v));
        shown.add("./layerstore serve -c CONFIG");
        return launches(name, shown, launches, config -> {
            ProcessBuilder builder = new ProcessBuilder(repo.resolve("layerstore").toString(), "serve", "-c", config.toString());
            builder.environment().put("LAYERSTORE_NO_BUILD", "1");
            builder.environment().put("LAYERSTORE_LOG_LEVEL", "WARN"); // as the other modes: access log off
            builder.environment().putAll(environment);
            return builder;
        });
    }

    private StartupMode measure(String name, List<String> jvmOptions, int launches) throws IOException, InterruptedException {
        return launches(name, jvmOptions, launches, config -> launcher.command(config, jvmOptions));
    }

    /** {@code launches} starts of what {@code command} makes for a configuration, each timed to its first byte. */
    private StartupMode launches(String name, List<String> shown, int launches, Function<Path, ProcessBuilder> command)
            throws IOException, InterruptedException {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < launches; i++) {
            int port = LoopbackPorts.free();
            Path config = launcher.writeConfig("startup-" + name, port, Optional.empty());
            long start = System.nanoTime();
            try (ManagedProcess process = ManagedProcess.start("startup " + name, command.apply(config))) {
                Optional<Long> firstByte = firstByte(port, process, start);
                if (firstByte.isEmpty()) {
                    return new StartupMode(name, shown, "failed: " + String.join(" | ", process.output()), millis, null);
                }
                millis.add((firstByte.get() - start) / 1e6);
            }
            log.printf("startup %-22s launch %d: %.0f ms%n", name, i + 1, millis.getLast());
        }
        return new StartupMode(name, shown, CellResult.MEASURED, millis, Spread.of(millis));
    }

    /** nanoTime when the first response byte arrived, or empty if the process died or the limit passed. */
    private Optional<Long> firstByte(int port, ManagedProcess process, long start) throws InterruptedException {
        String path = files.smallPattern().formatted(0);
        while (System.nanoTime() - start < LIMIT.toNanos() && process.isAlive()) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LoopbackPorts.LOOPBACK, port), 1000);
                socket.setSoTimeout((int) LIMIT.toMillis());
                HttpProbe.sendGet(socket, path);
                if (HttpProbe.firstByte(socket)) {
                    return Optional.of(System.nanoTime());
                }
            } catch (IOException notYet) {
                Thread.sleep(2);
            }
        }
        return Optional.empty();
    }

    /**
     * The AOT training run: serve each load for a moment, stop with SIGTERM; the JVM writes the cache at
     * exit. Its output goes to a file: with stdout on a pipe, JDK 25.0.3 exited on SIGTERM without
     * writing the cache (reproduced outside the harness; with a file it works).
     */
    private Optional<String> train(Path cache) throws IOException, InterruptedException {
        Files.deleteIfExists(cache);
        int port = LoopbackPorts.free();
        Path config = launcher.writeConfig("aot-training", port, Optional.empty());
        Path output = workDir.resolve("aot-training.log");
        Process process = launcher.command(config, List.of("-XX:AOTCacheOutput=" + cache))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            if (!LoopbackPorts.awaitAccepting(port, process.toHandle(), LIMIT)) {
                return Optional.of("the training run did not start: " + tail(output));
            }
            for (Load load : Load.standard(files)) {
                wrk.run("http://127.0.0.1:" + port, load, Duration.ofSeconds(1));
            }
            // The cache is assembled by a child JVM while this one waits: slow on a busy machine.
            process.destroy();
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                return Optional.of("the training run did not exit within 180 s of SIGTERM: " + tail(output));
            }
            if (!Files.isRegularFile(cache)) {
                return Optional.of("the training run (exit " + process.exitValue() + ") wrote no AOT cache: " + tail(output));
            }
        } finally {
            process.destroyForcibly();
        }
        log.printf("AOT cache: %s (%d MiB)%n", cache, Files.size(cache) >> 20);
        return Optional.empty();
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log).stream().filter(l -> !l.contains("Skipping")).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }
}
