// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child process whose stdout and stderr are drained on their own threads (so a chatty server never
 * blocks on a full pipe), keeping the last lines of each for error messages and log checks.
 */
final class ManagedProcess implements AutoCloseable {

    private static final int KEPT_LINES = 400;

    private final String description;
    private final Process process;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    /** How many of the two output streams have reached end of file; guarded by {@code lines}. */
    private int drained;
    /** Lines printed on both streams since the start; guarded by {@code lines}. */
    private long printed;

    private ManagedProcess(String description, Process process) {
        this.description = description;
        this.process = process;
        drain(process.getInputStream(), "out");
        drain(process.getErrorStream(), "err");
    }

    static ManagedProcess start(String description, ProcessBuilder builder) throws IOException {
        return new ManagedProcess(description, builder.start());
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Waits until an output line matches, the process exits, or the timeout passes; returns the line,
     * or empty when the process exited (or timed out) without printing one.
     */
    Optional<String> awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                int index = 0;
                for (String line : lines) {
                    if (index++ >= seen && wanted.test(line)) {
                        return Optional.of(line);
                    }
                }
                seen = lines.size();
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && drained == 2)) {
                    return Optional.empty();
                }
                lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    /** Waits until the process has printed {@code count} lines in all (kept or not), or the timeout passes. */
    boolean awaitLineCount(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (printed < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || drained == 2) {
                    return false;
                }
                lines.wait(Math.max(1, Math.min(200, TimeUnit.NANOSECONDS.toMillis(left))));
            }
            return true;
        }
    }

    /** How many lines the process has printed so far. */
    long lineCount() {
        synchronized (lines) {
            return printed;
        }
    }

    /** Waits until both output streams are closed (after exit), so {@link #output()} is complete. */
    void awaitOutputClosed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (drained < 2 && System.nanoTime() < deadline) {
                lines.wait(50);
            }
        }
    }

    /**
     * Runs {@code command} to its end (at most {@code limit}, then it is stopped) and returns its output
     * lines; a non-zero exit is an IOException with the command and its output.
     */
    static List<String> runToEnd(String description, List<String> command, Duration limit)
            throws IOException, InterruptedException {
        ManagedProcess process = start(description, new ProcessBuilder(command));
        Optional<Integer> exit = process.awaitExit(limit);
        if (exit.isEmpty()) {
            process.stop(Duration.ofSeconds(5));
            throw new IOException(description + " did not finish within " + limit.toSeconds() + " s: "
                    + String.join(" ", command));
        }
        process.awaitOutputClosed(Duration.ofSeconds(5));
        if (exit.get() != 0) {
            throw new IOException(description + " failed (exit " + exit.get() + "): " + String.join(" ", command) + "\n"
                    + String.join("\n", process.output()));
        }
        return process.output();
    }

    /** Writes one line to the process's standard input (a command for a process that reads them, like the relay). */
    void writeLine(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    /** The last lines printed on stdout and stderr, oldest first. */
    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The exit code, waiting at most {@code timeout}; empty when it is still running. */
    Optional<Integer> awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Optional.of(process.exitValue()) : Optional.empty();
    }

    /** SIGTERM, then SIGKILL if it has not stopped within {@code grace}. */
    void stop(Duration grace) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        try {
            stop(Duration.ofSeconds(20));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return description + " (pid " + process.pid() + ")";
    }

    private void drain(InputStream stream, String name) {
        Thread.ofPlatform().daemon().name("drain-" + name + "-" + process.pid()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        if (lines.size() == KEPT_LINES) {
                            lines.removeFirst();
                        }
                        lines.addLast(line);
                        printed++;
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                // The process died and took its pipe with it; the exit code tells the story.
            } finally {
                synchronized (lines) {
                    drained++;
                    lines.notifyAll();
                }
            }
        });
    }
}
