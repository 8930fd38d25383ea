// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void everyAvailableEngineSendsTheFileAndReportsItsCopiesSideBySide() throws Exception {
        Path file = dir.resolve("bench.bin");
        byte[] data = new byte[8 * 1024 * 1024 + 5];
        new Random(1).nextBytes(data);
        Files.write(file, data);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        assertEquals(0, cli.execute("bench", file.toString(), "--rounds", "2", "--json"), err.toString());
        JsonNode report = new ObjectMapper().readTree(out.toString());
        Map<String, JsonNode> engines = new HashMap<>();
        report.get("engines").forEach(e -> engines.put(e.get("engine").asText(), e));
        assertTrue(engines.keySet().containsAll(List.of("copy", "mmap", "sendfile")), engines.keySet().toString());
        long bytes = 2L * data.length;
        for (JsonNode engine : engines.values()) {
            assertEquals(bytes, engine.get("bytes").asLong(), engine.toString());
            assertTrue(engine.get("mibPerSecond").asDouble() > 0, engine.toString());
            assertTrue(engine.get("cpuSecondsPerGiB").asDouble() > 0, engine.toString());
        }
        assertEquals(2 * bytes, engines.get("copy").get("cpuCopiedBytes").asLong(), "read+write copies every byte twice");
        assertEquals(bytes, engines.get("mmap").get("cpuCopiedBytes").asLong(), "mmap+write copies every byte once");
        assertEquals(0, engines.get("sendfile").get("cpuCopiedBytes").asLong(), "sendfile copies nothing on the sender");
    }

    @Test
    void theOffloadEngineIsGoneAndNamedAsUnknown() {
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("bench", "--engines", "copy,offload", "--size", "1"));
        assertTrue(err.toString().contains("no transmit engine named 'offload'; there are [copy, mmap, sendfile, splice,"
                + " zerocopy, auto]"), err.toString());
    }

    @Test
    void anUnknownEngineIsAnErrorNamingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("bench", "--engines", "warp", "--size", "1"));
        assertTrue(err.toString().contains("no transmit engine named 'warp'; there are [copy, mmap, sendfile"), err.toString());
    }

    @Test
    void anUnknownBoardIsAConfigurationErrorBeforeAnythingIsSent() {
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("bench", "--board", "ls2088ardb", "--size", "1"));
        assertTrue(err.toString().contains("--board: unknown board profile 'ls2088ardb'; known: ["), err.toString());
    }
}
