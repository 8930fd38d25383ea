// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion within a time limit, its stdout and stderr captured together. */
public record ExternalCommand(int exitCode, String output) {

    public static ExternalCommand run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        return run(timeoutSeconds, Map.of(), command);
    }

    /** As {@link #run(long, String...)}, with {@code environment} added to this process's environment. */
    public static ExternalCommand run(long timeoutSeconds, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        Path log = Files.createTempFile("layerstore-command", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new ExternalCommand(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** Fails with the program's output unless it exited 0. */
    public ExternalCommand requireSuccess(String what) {
        if (exitCode != 0) {
            throw new AssertionError(what + " exited " + exitCode + ":\n" + output);
        }
        return this;
    }
}
