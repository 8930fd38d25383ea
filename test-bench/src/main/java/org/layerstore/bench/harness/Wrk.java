// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Runs wrk (Debian's package) with the harness's Lua script and reads its JSON summary. */
final class Wrk {

    private static final String MARKER = "WRK_JSON ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path script;
    /** What runs wrk: nothing (wrk itself) or, say, {@code ip netns exec NS} to run it in a network namespace. */
    private final List<String> launcher;

    private Wrk(Path script, List<String> launcher) {
        this.script = script;
        this.launcher = launcher;
    }

    /** Writes the Lua script into {@code workDir}; fails with the install hint when wrk is missing. */
    static Wrk prepare(Path workDir) throws IOException {
        Tools.require("wrk", "apt-get install wrk");
        Path script = workDir.resolve("load.lua");
        try (InputStream in = Wrk.class.getResourceAsStream("load.lua")) {
            if (in == null) {
                throw new IOException("load.lua is missing from the harness's class path");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return new Wrk(script, List.of());
    }

    /** The same wrk, run through {@code launcher} (for example {@code ip netns exec NS}). */
    Wrk through(List<String> newLauncher) {
        return new Wrk(script, List.copyOf(newLauncher));
    }

    /** Puts {@code load} on the server at {@code baseUrl} for {@code duration} (through ab for {@link Load.Client#AB}). */
    WrkRun run(String baseUrl, Load load, Duration duration) throws IOException, InterruptedException {
        if (load.client() == Load.Client.AB) {
            return ApacheBench.run(baseUrl, load, duration);
        }
        List<String> command = command(baseUrl, load, duration);
        List<String> output = ManagedProcess.runToEnd("wrk " + load.name(), command, duration.plusSeconds(60));
        Optional<String> summary = output.stream().filter(l -> l.startsWith(MARKER)).findFirst();
        if (summary.isEmpty()) {
            throw new IOException("wrk printed no summary: " + String.join(" ", command) + "\n" + String.join("\n", output));
        }
        return parse(summary.get().substring(MARKER.length()));
    }

    /** The exact command line of {@code load}, by whichever client makes it. */
    List<String> command(String baseUrl, Load load, Duration duration) {
        if (load.client() == Load.Client.AB) {
            return ApacheBench.command(baseUrl, load, duration);
        }
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("wrk", "-t" + Math.min(load.threads(), load.connections()), "-c" + load.connections(),
                "-d" + Math.max(1, duration.toSeconds()) + "s", "--timeout", "30s", "--latency", "-s", script.toString(),
                baseUrl, "--", load.method(), load.pathPattern(), Integer.toString(load.fileCount())));
        return command;
    }

    static WrkRun parse(String json) throws IOException {
        JsonNode n = JSON.readTree(json);
        JsonNode e = n.get("errors");
        long errors = e.get("connect").asLong() + e.get("read").asLong() + e.get("write").asLong()
                + e.get("status").asLong() + e.get("timeout").asLong();
        JsonNode l = n.get("latencyMicros");
        return new WrkRun(n.get("requests").asLong(), n.get("bytes").asLong(), n.get("durationMicros").asLong(), errors,
                new WrkRun.Latency(l.get("p50").asLong(), l.get("p90").asLong(), l.get("p99").asLong(),
                        l.get("p999").asLong(), l.get("max").asLong(), l.get("mean").asDouble()));
    }
}
