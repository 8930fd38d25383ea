// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the external commands of the veth tests (ip, ethtool, curl, tshark), with a time limit each. */
public final class Commands {

    public record Result(int exitCode, String output) {
    }

    private Commands() {
    }

    public static boolean installed(String program) {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code command} and fails when it exits non-zero, naming it and its output. */
    public static String run(int timeoutSeconds, String... command) {
        Result r = attempt(timeoutSeconds, command);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode + ": " + r.output);
        }
        return r.output;
    }

    /** Runs {@code command}; its exit code (-1 on timeout, after killing it) and combined output. */
    public static Result attempt(int timeoutSeconds, String... command) {
        return attempt(timeoutSeconds, true, command);
    }

    /** Runs {@code command} and returns its standard output alone (tshark's warnings go to standard error). */
    static String standardOutput(int timeoutSeconds, String... command) {
        Result r = attempt(timeoutSeconds, false, command);
        if (r.exitCode != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited " + r.exitCode + ": " + r.output);
        }
        return r.output;
    }

    private static Result attempt(int timeoutSeconds, boolean withErrors, String... command) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            if (withErrors) {
                builder.redirectErrorStream(true);
            } else {
                builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            }
            Process p = builder.start();
            p.getOutputStream().close();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                return new Result(-1, new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }
}
