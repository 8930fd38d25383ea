// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The offload benchmark in smoke mode, end to end with the real parts: namespaces and veth pairs, directly
 * and through the impairment relay with a 2 ms delay, the built appliance twice (kernel sendfile; the
 * offload port on the emulated FMan), wrk in the client namespace, jcmd. It checks that every cell has numbers that agree with each other, that the offload
 * port's emulated FMan threads were found and used CPU, and that the network is gone afterwards; it
 * never compares a speed with a target. Skips, saying why, without root.
 */
class OffloadPortBenchmarkSmokeTest {

    @TempDir
    Path out;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aSmokeRunMeasuresBothServersOnEveryLoadAndRemovesItsNetwork() throws Exception {
        Assumptions.assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "needs root: the benchmark creates network namespaces, veth pairs and an AF_PACKET socket");
        Path repo = Path.of(System.getProperty("layerstore.repo"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        OffloadPortBenchmark.run(OffloadPortBenchmark.Settings.smoke(), repo, out, null,
                new PrintStream(log, true, StandardCharsets.UTF_8));
        String progress = log.toString(StandardCharsets.UTF_8);

        JsonNode results = new ObjectMapper().readTree(out.resolve(OffloadPortBenchmark.JSON_FILE).toFile());
        List<String> loads = List.of("big-8MiB", "medium-1MiB", "small-4KiB");
        List<String> paths = List.of(OffloadPortBenchmark.DIRECT, "relay-delay-2ms");
        assertEquals(paths.size() * loads.size() * 2, results.get("cells").size(), progress);
        for (JsonNode cell : results.get("cells")) {
            String what = cell.get("server").asText() + " " + cell.get("load").asText() + ": " + cell + "\n" + progress;
            assertTrue(loads.contains(cell.get("load").asText()) && paths.contains(cell.get("path").asText()), what);
            JsonNode s = cell.get("summary");
            double mibps = s.get(CellRound.Metric.THROUGHPUT).get("median").asDouble();
            double cpu = s.get(CellRound.Metric.CPU_PER_GIB).get("median").asDouble();
            double nativeCpu = s.get(OffloadCell.NATIVE_CPU_PER_GIB).get("median").asDouble();
            double jvmCpu = s.get(OffloadCell.JVM_CPU_PER_GIB).get("median").asDouble();
            assertTrue(mibps > 0 && cpu > 0, what);
            assertEquals(0, s.get(CellRound.Metric.ERRORS).get("median").asDouble(), what);
            assertEquals(cpu, nativeCpu + jvmCpu, 1e-6, what);
            if (cell.get("server").asText().equals(OffloadPortServers.OFFLOAD)) {
                assertTrue(nativeCpu > 0, "the emulated FMan's threads carried the offload port's frames: " + what);
                assertTrue(cell.get("ratioToKernel").has(CellRound.Metric.CPU_PER_GIB), what);
            } else {
                assertEquals(0, nativeCpu, "the kernel server has no native threads: " + what);
            }
        }
        String report = Files.readString(out.resolve(OffloadPortReport.FILE));
        assertTrue(report.contains("| big-8MiB | offload-port |") && report.contains("ip netns exec"), report);
        for (JsonNode relay : results.get("relayCounters").get("relay-delay-2ms")) {
            assertTrue(relay.get(0).asText().matches("a-to-b received=[1-9]\\d* forwarded=[1-9].* overflowed=0 .*"), relay.toString());
        }
        for (String path : paths) {
            String namespace = results.get("network").get(path).get(0).asText().replace("ip netns add ", "");
            assertTrue(namespace.startsWith(BenchNetwork.PREFIX), namespace);
            assertTrue(Files.notExists(Path.of("/run/netns", namespace)), "the benchmark removed " + namespace);
        }
    }
}
