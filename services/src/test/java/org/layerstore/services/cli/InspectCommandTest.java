// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import picocli.CommandLine;

class InspectCommandTest {

    private static final int PAGE = 4096;
    private static final long SIZE = 64L * 1024 * 1024 + 1234;
    private static final int ATTEMPTS = 5;

    @TempDir
    static Path dir;
    static Path file;

    record Run(long address, long length) {
    }

    @BeforeAll
    static void createFile() throws IOException {
        file = dir.resolve("cached.bin");
        byte[] data = new byte[(int) SIZE];
        new Random(42).nextBytes(data);
        Files.write(file, data);
    }

    @Test
    void inspectReportsTheSamePhysicalRunsAsAnotherProcessSeesInItsPagemap() throws Exception {
        assumeTrue(isRoot(), "reading PFNs from pagemap needs CAP_SYS_ADMIN; CI runs as root");
        Path helper = Path.of(InspectCommandTest.class.getResource("/pagemap-helper.py").toURI());
        Process python = new ProcessBuilder("python3", helper.toString(), file.toString()).redirectErrorStream(true).start();
        try (BufferedReader from = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
             Writer to = new OutputStreamWriter(python.getOutputStream(), StandardCharsets.UTF_8)) {
            assertEquals("ready", from.readLine());
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                List<Long> before = dump(from, to);
                JsonNode report = inspectJson("--max-frames", "0");
                List<Long> after = dump(from, to);
                if (!before.equals(after)) {
                    continue; // the kernel moved or reclaimed a page meanwhile: look again
                }
                assertTrue(before.stream().allMatch(pfn -> pfn != 0), "the helper's pages are all present");
                List<Run> reported = new ArrayList<>();
                for (JsonNode run : report.get("runs")) {
                    reported.add(new Run(Long.decode(run.get("address").asText()), run.get("length").asLong()));
                }
                assertEquals(coalesce(before, SIZE), reported);
                assertEquals(reported.size(), report.get("summary").get("runs").asInt());
                assertEquals(SIZE, reported.stream().mapToLong(Run::length).sum());
                return;
            }
        } finally {
            // closing the helper's stdin ends its command loop
            python.waitFor(10, TimeUnit.SECONDS);
            python.destroyForcibly();
        }
        fail("the page cache kept changing under the test in " + ATTEMPTS + " attempts");
    }

    @Test
    void framesCoverTheRangeWithinTheSegmentSizeAndEntryLimit() throws Exception {
        assumeTrue(isRoot(), "reading PFNs from pagemap needs CAP_SYS_ADMIN; CI runs as root");
        JsonNode report = inspectJson("--offset", "4095", "--length", "100001", "--max-frames", "-1");
        long covered = 0;
        long expectedOffset = 4095;
        for (JsonNode frame : report.get("frames")) {
            assertEquals(expectedOffset, frame.get("fileOffset").asLong());
            assertTrue(frame.get("payloadLength").asInt() <= 1460);
            assertTrue(frame.get("entries").size() <= 15);
            assertEquals("sg", frame.get("format").asText());
            long sum = 0;
            for (JsonNode entry : frame.get("entries")) {
                sum += entry.get("length").asLong();
            }
            assertEquals(frame.get("payloadLength").asLong(), sum);
            expectedOffset += sum;
            covered += sum;
        }
        assertEquals(100_001, covered);
        assertEquals(report.get("frames").size(), report.get("summary").get("frames").asInt());
    }

    @Test
    void onAnLs1043aEveryFrameIsBouncedIntoAContiguousDescriptorAndJumboFramesCarryMore() throws Exception {
        assumeTrue(isRoot(), "reading PFNs from pagemap needs CAP_SYS_ADMIN; CI runs as root");
        JsonNode ls1043a = inspectJson("--length", "100000", "--soc", "ls1043a", "--max-frames", "-1");
        assertEquals(69, ls1043a.get("summary").get("frames").asInt());
        assertEquals(69, ls1043a.get("summary").get("contiguousFrames").asInt());
        ls1043a.get("frames").forEach(frame -> assertEquals("contiguous", frame.get("format").asText()));
        JsonNode jumbo = inspectJson("--length", "100000", "--mac-max-frame", "9600", "--mss", "9000");
        assertEquals(9000, jumbo.get("summary").get("segmentPayload").asInt());
        assertEquals(12, jumbo.get("summary").get("frames").asInt());
    }

    @Test
    void withoutCapSysAdminInspectRefusesAndSaysWhy() throws Exception {
        assumeTrue(isRoot(), "dropping capabilities with setpriv needs root");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder("setpriv", "--inh-caps=-all", "--bounding-set=-all", java,
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LayerstoreCommand.class.getName(), "inspect", file.toString())
                .redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM finished");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(1, child.exitValue(), output);
        assertTrue(output.contains("physical addresses unavailable: pagemap reports PFN 0 for present pages: the process"
                + " lacks CAP_SYS_ADMIN"), output);
    }

    @Test
    void theBoardProfileGivesTheFormatLimits() throws Exception {
        assumeTrue(isRoot(), "reading PFNs from pagemap needs CAP_SYS_ADMIN; CI runs as root");
        JsonNode ls1043a = inspectJson("--length", "100000", "--board", "ls1043ardb").get("summary");
        assertEquals(ls1043a.get("frames").asInt(), ls1043a.get("contiguousFrames").asInt(),
                "erratum A050385: page-cache runs are not 256-byte fragments, so every frame is bounced");
        JsonNode ls1046a = inspectJson("--length", "100000", "--board", "ls1046ardb").get("summary");
        assertEquals(0, ls1046a.get("contiguousFrames").asInt());
        JsonNode jumbo = inspectJson("--length", "100000", "--board", "ls1046ardb", "--mss", "8960", "--mac-max-frame", "9022")
                .get("summary");
        assertTrue(jumbo.get("frames").asInt() < ls1046a.get("frames").asInt() / 5, jumbo.toString());
    }

    @Test
    void anUnknownBoardIsAnErrorListingTheKnownOnes() {
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("inspect", file.toString(), "--board", "ls2088ardb"));
        assertTrue(err.toString().contains("--board: unknown board profile 'ls2088ardb'; known: ["), err.toString());
    }

    @Test
    void aRangePastTheEndIsRefusedWithTheNumbers() {
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(1, cli.execute("inspect", file.toString(), "--offset", String.valueOf(SIZE), "--length", "1"));
        assertTrue(err.toString().contains("is past the end of a " + SIZE + "-byte file"), err.toString());
    }

    private static JsonNode inspectJson(String... options) throws IOException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of("inspect", file.toString(), "--json"));
        args.addAll(List.of(options));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), err.toString());
        return new ObjectMapper().readTree(out.toString());
    }

    private static List<Long> dump(BufferedReader from, Writer to) throws IOException {
        to.write("dump\n");
        to.flush();
        List<Long> pfns = new ArrayList<>();
        for (String hex : from.readLine().split(" ")) {
            pfns.add(Long.parseLong(hex, 16));
        }
        return pfns;
    }

    /** Maximal physically contiguous runs of a file of {@code size} bytes whose pages have these PFNs. */
    private static List<Run> coalesce(List<Long> pfns, long size) {
        List<Run> runs = new ArrayList<>();
        long start = pfns.getFirst() * PAGE;
        long end = start + PAGE;
        for (int i = 1; i < pfns.size(); i++) {
            long address = pfns.get(i) * PAGE;
            if (address != end) {
                runs.add(new Run(start, end - start));
                start = address;
            }
            end = address + PAGE;
        }
        long lastPageShort = (long) pfns.size() * PAGE - size;
        runs.add(new Run(start, end - lastPageShort - start));
        return runs;
    }

    private static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals("0"));
    }
}
