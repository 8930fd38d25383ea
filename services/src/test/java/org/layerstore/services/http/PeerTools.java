// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.layerstore.services.demo.OffloadDemoNetwork;

/**
 * The client-side tools of the offload port's peer tests (python3 scripts and a wrk script in the test
 * resources' {@code offload-peers/}), run in the client's namespace; each prints {@code key=value} results.
 */
final class PeerTools {

    private PeerTools() {
    }

    static void assumePython() {
        boolean found = false;
        for (String folder : System.getenv().getOrDefault("PATH", "").split(":")) {
            found |= !folder.isEmpty() && Files.isExecutable(Path.of(folder, "python3"));
        }
        Assumptions.assumeTrue(found, "needs python3 on the PATH for the raw-frame and socket clients");
    }

    static Path resource(String name) {
        try {
            return Path.of(PeerTools.class.getResource("/offload-peers/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code python3 offload-peers/SCRIPT args...} in the namespace. */
    static List<String> python(OffloadDemoNetwork network, String script, Object... args) {
        List<String> command = new ArrayList<>(network.inNamespace("python3", resource(script).toString()));
        for (Object arg : args) {
            command.add(String.valueOf(arg));
        }
        return command;
    }

    /** Runs {@code command} to its end (within {@code seconds}); the key=value pairs of its last line. */
    static Map<String, String> run(List<String> command, int seconds) throws IOException, InterruptedException {
        return pairs(exec(command, seconds));
    }

    /** Runs {@code command} to its end (within {@code seconds}), which must succeed; its output. */
    static String exec(List<String> command, int seconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), String.join(" ", command) + ":\n" + output);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }

    /** The key=value pairs of the last line of {@code output} that has any. */
    static Map<String, String> pairs(String output) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String line : output.lines().toList().reversed()) {
            for (String word : line.strip().split("\\s+")) {
                int eq = word.indexOf('=');
                if (eq > 0) {
                    result.put(word.substring(0, eq), word.substring(eq + 1));
                }
            }
            if (!result.isEmpty()) {
                return result;
            }
        }
        throw new AssertionError("no results in:\n" + output);
    }

    /** A keep-alive GET of {@code path} with the test user's credentials, written to a file for the tools. */
    static Path request(Path dir, String path) throws IOException {
        Path file = Files.createTempFile(dir, "request", ".http");
        Files.writeString(file, "GET " + path + " HTTP/1.1\r\nHost: " + OffloadDemoNetwork.STACK_ADDRESS
                + "\r\nAuthorization: " + TestServers.basic() + "\r\n\r\n");
        return file;
    }

    /**
     * The client kernel's own verdict on the stack's segments since the namespace was made (nstat, absolute,
     * history untouched): challenge ACKs it sent, segments it found in error or with a bad checksum. Zero
     * each, or the stack sent something Linux would not.
     */
    static void assertKernelFoundNothingWrong(OffloadDemoNetwork network) throws IOException, InterruptedException {
        List<String> names = List.of("TcpExtTCPChallengeACK", "TcpInErrs", "TcpInCsumErrors");
        List<String> command = new ArrayList<>(network.inNamespace("nstat", "-asz"));
        command.addAll(names);
        String output = exec(command, 10);
        for (String name : names) {
            String value = output.lines().map(l -> l.strip().split("\\s+")).filter(f -> f[0].equals(name))
                    .map(f -> f[1]).findFirst().orElse("missing");
            assertEquals("0", value, name + " in the client's namespace:\n" + output);
        }
    }

    /** The MAC of interface {@code name} in this namespace. */
    static String mac(String name) throws IOException {
        return Files.readString(Path.of("/sys/class/net", name, "address")).strip();
    }
}
