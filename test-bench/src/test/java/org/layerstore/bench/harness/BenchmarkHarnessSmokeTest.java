// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The harness in smoke mode, end to end with the real parts: nginx and the built appliance on loopback,
 * wrk, gcc and the C pagemap loop, a forked JMH run, AOT training, jcmd and JFR. It checks that every
 * cell and every probe is in results.json with sane, internally consistent numbers; it never checks a
 * speed against a target (a smoke run on a shared machine measures nothing).
 */
class BenchmarkHarnessSmokeTest {

    private static final List<String> LOADS = List.of("big-4MiB", "small-4KiB", "medium-1MiB", "head", "small-4KiB-t1",
            "one-4MiB-t1", "one-1MiB-t1", "one-4KiB-t1", "head-new-connection");

    @TempDir
    Path out;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void aSmokeRunFillsEveryCellAndProbe() throws Exception {
        Path repo = Path.of(System.getProperty("layerstore.repo"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        HarnessSettings smoke = HarnessSettings.smoke();
        BenchmarkHarness.run(smoke, repo, out, null, Set.of(), new PrintStream(log, true, StandardCharsets.UTF_8));
        String progress = log.toString(StandardCharsets.UTF_8);

        JsonNode results = new ObjectMapper().readTree(out.resolve(Results.FILE).toFile());
        for (JsonNode note : results.get("notes")) {
            assertFalse(note.asText().startsWith(BenchmarkHarness.FAILED), note.asText() + "\n" + progress);
        }
        assertTrue(results.get("machine").get("cpus").asInt() > 0 && !results.get("machine").get("kernel").asText().isBlank());

        Set<String> servers = new HashSet<>(List.of(ServerComparison.BASELINE, ServerComparison.DEFAULT_APPLIANCE));
        smoke.engines().forEach(e -> servers.add(ServerComparison.DEFAULT_APPLIANCE + "-" + e));
        List<String> cellsSeen = new ArrayList<>();
        for (JsonNode cell : results.get("cells")) {
            String server = cell.get("server").asText();
            String load = cell.get("load").asText();
            cellsSeen.add(server + "|" + load);
            String status = cell.get("status").asText();
            if (server.equals(ServerComparison.BASELINE) || server.equals(ServerComparison.DEFAULT_APPLIANCE)) {
                assertEquals(CellResult.MEASURED, status, server + " " + load);
            }
            if (status.equals(CellResult.MEASURED)) {
                assertMeasured(cell, load);
                if (server.startsWith(ServerComparison.DEFAULT_APPLIANCE)) {
                    assertFalse(cell.get("engineUsed").asText().isBlank(), "the access log named the engine: " + cell);
                }
                if (cell.hasNonNull("engine")) {
                    assertEquals(cell.get("engine").asText(), cell.get("engineUsed").asText(), "a substitute engine is not measured");
                }
            } else {
                assertTrue(status.matches("unavailable: .{10,}"), "an unavailable cell says why: " + status);
            }
        }
        for (String server : servers) {
            for (String load : LOADS) {
                assertTrue(cellsSeen.contains(server + "|" + load), "no cell for " + server + " " + load + ": " + cellsSeen);
            }
        }
        assertEquals(servers.size() * LOADS.size(), cellsSeen.size(), "one cell per server and load: " + cellsSeen);

        assertEquals(PagemapComparison.RANGES_KIB.size() * PagemapComparison.BENCHMARKS.size(), results.get("pagemap").size());
        for (JsonNode p : results.get("pagemap")) {
            assertTrue(p.get("javaNsPerOp").asDouble() > 0 && p.get("nativeNsPerOp").get("median").asDouble() > 0, p.toString());
            assertEquals(p.get("javaNsPerOp").asDouble() / p.get("nativeNsPerOp").get("median").asDouble(),
                    p.get("ratioJavaToC").asDouble(), 1e-9);
        }

        List<String> modes = new ArrayList<>();
        for (JsonNode mode : results.get("startup")) {
            modes.add(mode.get("name").asText());
            assertEquals(CellResult.MEASURED, mode.get("status").asText(), mode.toString());
            assertEquals(smoke.startupLaunches(), mode.get("launchMillis").size());
            assertTrue(mode.get("summary").get("median").asDouble() > 0);
        }
        assertEquals(List.of("cds-off", "default-cds", "aot-cache", "launcher-aot-cache", "launcher-no-aot-cache"), modes);

        List<String> loadsWithCommands = new ArrayList<>();
        for (JsonNode load : results.get("loads")) {
            loadsWithCommands.add(load.get("load").asText());
            String command = load.get("command").asText();
            assertTrue(command.startsWith(load.get("client").asText() + " ") && command.contains(Results.LoadCommand.SERVER),
                    "the exact command line, with the server's place: " + load);
        }
        assertEquals(LOADS, loadsWithCommands);

        assertEquals(2, results.get("heap").size());
        for (JsonNode heap : results.get("heap")) {
            assertEquals(smoke.heapConnections(), heap.get("connections").asInt());
            assertEquals(0, heap.get("errors").asLong(), heap.toString());
            assertFalse(heap.get("outOfMemory").asBoolean());
            assertTrue(heap.get("jcmdCommittedMiB").asDouble() > 0, "jcmd GC.heap_info was read: " + heap);
            assertTrue(heap.get("idleRssMiB").asDouble() > 0 && heap.get("idleHeapUsedMiB").asDouble() > 0,
                    "memory at rest was read: " + heap);
        }
        assertTrue(results.get("heap").get(1).get("jcmdCommittedMiB").asDouble() <= 128, "the capped run is capped");

        assertEquals(2, results.get("profiles").size());
        for (JsonNode profile : results.get("profiles")) {
            assertTrue(Files.size(out.resolve(profile.get("file").asText())) > 0);
            assertTrue(profile.get("userCpuSeconds").asDouble() + profile.get("systemCpuSeconds").asDouble() > 0, profile.toString());
        }

        assertFalse(results.get("targets").isEmpty());
        String svg = Files.readString(out.resolve(RatioPlot.FILE));
        assertTrue(svg.startsWith("<svg") && svg.contains("appliance throughput"), svg);
        String md = Files.readString(out.resolve(MarkdownReport.FILE));
        assertTrue(md.contains("| small-4KiB | nginx |") && md.contains("| small-4KiB | appliance ("), md);
    }

    /** A measured cell has a round with served requests, no errors, CPU used, and nginx's ratio of exactly 1. */
    private static void assertMeasured(JsonNode cell, String load) {
        String what = cell.get("server").asText() + " " + load;
        assertEquals(HarnessSettings.smoke().rounds(), cell.get("rounds").size(), what);
        JsonNode median = cell.get("summary");
        assertTrue(median.get("requestsPerSecond").get("median").asDouble() > 0, what + ": no requests served");
        assertEquals(0, median.get("errors").get("max").asDouble(), what + ": wrk counted errors");
        assertTrue(median.get("cpuMicrosPerRequest").get("median").asDouble() > 0, what + ": no server CPU time seen");
        assertTrue(median.get("peakRssMiB").get("median").asDouble() > 1, what + ": no peak RSS read");
        if (!load.equals("head")) {
            assertTrue(median.get("throughputMiBps").get("median").asDouble() > 0, what);
        }
        if (cell.get("server").asText().equals(ServerComparison.BASELINE)) {
            assertEquals(1.0, cell.get("ratioToNginx").get("requestsPerSecond").asDouble(), 1e-12);
        } else {
            assertTrue(cell.get("ratioToNginx").has("requestsPerSecond"), what + ": no ratio to nginx");
        }
    }
}
