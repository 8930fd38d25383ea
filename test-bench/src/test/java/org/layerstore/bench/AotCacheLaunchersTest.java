// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both launchers and the JDK's AOT cache: it is made by a training run of its own (at build time in a checkout, in
 * the background on an installed system), never by {@code --help} and never while the appliance stops; a cache made
 * so is one {@code serve} loads ({@code -XX:AOTMode=on} makes the JVM fail on a cache it cannot use).
 */
class AotCacheLaunchersTest {

    private static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    private static final Path CHECKOUT_LAUNCHER = REPO.resolve("layerstore");
    private static final Path INSTALLED_LAUNCHER = REPO.resolve("services/src/dist/bin/layerstore");
    private static final Path JARS = REPO.resolve("services/target/dist/lib");
    /** Longer than any line of the help text: the JDK's AOT child JVM once printed the whole class path. */
    private static final int LONGEST_LINE = 200;
    /** Signal to exit, as a user (Ctrl-C) or systemd (SIGTERM) waits for it. */
    private static final long STOP_SECONDS = 5;

    @TempDir
    Path dir;

    @Test
    void serveHelpNeitherTrainsNorPrintsAClassPath() throws Exception {
        Path cache = dir.resolve("layerstore.aot");
        for (Path launcher : List.of(CHECKOUT_LAUNCHER, INSTALLED_LAUNCHER)) {
            ExternalCommand help = ExternalCommand.run(120, env(cache), launcher.toString(), "serve", "--help")
                    .requireSuccess(launcher + " serve --help");
            assertTrue(help.output().contains("Usage: layerstore serve"), help.output());
            assertShortLines(help.output());
            try (var left = Files.list(dir)) {
                assertEquals(List.of(), left.toList(), launcher + " serve --help wrote no cache, nor started a training");
            }
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void theCheckoutLaunchersTrainingMakesACacheThatServeLoads() throws Exception {
        Path cache = dir.resolve("layerstore.aot");
        ExternalCommand train = ExternalCommand.run(240, env(cache), CHECKOUT_LAUNCHER.toString(), "train")
                .requireSuccess("./layerstore train");
        assertShortLines(train.output());
        assertTrue(Files.size(cache) > 1 << 20, "a cache of " + Files.size(cache) + " bytes");
        try (var left = Files.list(dir)) {
            assertEquals(List.of(cache), left.toList(), "the training's temporary files and log are gone");
        }
        FileTime trained = Files.getLastModifiedTime(cache);

        Map<String, String> strict = Map.of("LAYERSTORE_AOT_CACHE", cache.toString(), "LAYERSTORE_NO_BUILD", "1",
                "LAYERSTORE_JAVA_OPTS", "-XX:AOTMode=on");
        ExternalCommand.run(120, strict, CHECKOUT_LAUNCHER.toString(), "serve", "--help")
                .requireSuccess("serve --help with -XX:AOTMode=on and the trained cache");
        assertEquals(trained, Files.getLastModifiedTime(cache), "serve left the cache as the training wrote it");
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void theInstalledLauncherTrainsInTheBackgroundAndAStopNeverWaitsForIt() throws Exception {
        Path cache = dir.resolve("state/layerstore.aot");
        Files.createDirectories(cache.getParent());
        Path share = Files.createDirectories(dir.resolve("share"));

        // Stopped while the training runs: the appliance and (as systemd signals the whole unit) the training end at once.
        Process first = startInstalled(cache, share);
        List<ProcessHandle> training = first.descendants().toList();
        assertFalse(training.isEmpty(), "a start without a cache started the training beside the appliance");
        long signalled = System.nanoTime();
        first.destroy();
        training.forEach(ProcessHandle::destroy);
        assertTrue(first.waitFor(STOP_SECONDS, TimeUnit.SECONDS), "the appliance did not stop within 5 s of SIGTERM");
        for (ProcessHandle p : training) {
            long leftNanos = Math.max(0, TimeUnit.SECONDS.toNanos(STOP_SECONDS) - (System.nanoTime() - signalled));
            try {
                p.onExit().get(leftNanos, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                p.destroyForcibly();
                throw new AssertionError("the training's process " + p.pid() + " did not end within 5 s of SIGTERM");
            }
        }
        assertFalse(Files.exists(cache), "an interrupted training leaves no cache");

        // Left to finish, the training puts a cache and its stamp in place while the appliance serves.
        Process second = startInstalled(cache, share);
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            Path stamp = Path.of(cache + ".stamp");
            while (!Files.exists(stamp) && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertTrue(Files.exists(stamp) && Files.size(cache) > 1 << 20, "the background training wrote the cache");
        } finally {
            second.destroy();
            second.descendants().forEach(ProcessHandle::destroy);
            assertTrue(second.waitFor(STOP_SECONDS, TimeUnit.SECONDS), "the appliance did not stop within 5 s of SIGTERM");
        }
        Map<String, String> strict = Map.of("LAYERSTORE_LIB", JARS.toString(), "LAYERSTORE_AOT_CACHE", cache.toString(),
                "LAYERSTORE_JAVA_OPTS", "-XX:AOTMode=on");
        ExternalCommand.run(120, strict, INSTALLED_LAUNCHER.toString(), "serve", "--help")
                .requireSuccess("serve --help with -XX:AOTMode=on and the cache trained in the background");
    }

    /** The installed launcher serving {@code share} on loopback, once it says it serves; its output goes to a file. */
    private Process startInstalled(Path cache, Path share) throws Exception {
        Path log = Files.createTempFile(dir, "serve", ".log");
        ProcessBuilder pb = new ProcessBuilder(INSTALLED_LAUNCHER.toString(), "serve", "--root", share.toString(),
                "--bind", "127.0.0.1", "--port", "0", "--mqtt", "tcp://127.0.0.1:9")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of("LAYERSTORE_LIB", JARS.toString(), "LAYERSTORE_AOT_CACHE", cache.toString()));
        Process p = pb.start();
        while (p.isAlive() && !Files.readString(log).contains("Layerstore is serving")) {
            Thread.sleep(100);
        }
        assertTrue(p.isAlive(), "the installed launcher exited before serving: " + Files.readString(log));
        return p;
    }

    private static Map<String, String> env(Path cache) {
        return Map.of("LAYERSTORE_AOT_CACHE", cache.toString(), "LAYERSTORE_NO_BUILD", "1", "LAYERSTORE_LIB", JARS.toString());
    }

    private static void assertShortLines(String output) {
        for (String line : output.split("\n")) {
            assertTrue(line.length() <= LONGEST_LINE, "a line of " + line.length() + " characters: "
                    + line.substring(0, Math.min(line.length(), 300)));
        }
    }
}
