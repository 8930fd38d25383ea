// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.frames.FrameCursor;
import org.layerstore.datapath.frames.PhysicalRun;
import org.layerstore.datapath.frames.PhysicalRuns;
import org.layerstore.datapath.frames.Segmenter;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapReader;

/**
 * Benchmark, not a gate: building the descriptors of a send by physical address for a cached file (map, fault in,
 * translate through pagemap, coalesce runs, walk every frame and S/G entry a descriptor is encoded from) against a plain C loop that
 * only maps, faults in, reads pagemap and counts runs (test-bench/src/test/c/pagemap-loop.c). Prints the
 * best-of-N times and their ratio, and writes them to target/benchmarks/descriptor-building.txt.
 *
 * <p>The file is 64 MiB by default so the test run stays short; {@code -Dlayerstore.bench.mib=1024} gives
 * the 1 GiB figure of docs/datapath.md. What it asserts is correctness only: both sides see the same
 * number of physical runs (retried when the kernel moves page-cache pages in between).
 */
class DescriptorBuildingBenchmark {

    private static final int ROUNDS = 10;
    private static final int ATTEMPTS = 3;
    private static final double MIB = 1024.0 * 1024.0;

    @TempDir
    Path dir;

    /** Keeps the frame walk from being optimised away. */
    private static long sink;

    record Timing(long runs, long faultNanos, long translateNanos, long totalNanos, long frames, long entries) {
    }

    @Test
    void buildingDescriptorsComparedWithAPlainCLoopOverPagemap() throws Exception {
        assumeTrue(isRoot(), "pagemap PFNs need CAP_SYS_ADMIN; CI runs as root");
        long mib = Long.getLong("layerstore.bench.mib", 64);
        Path file = dir.resolve("cached.bin");
        writeRandom(file, mib * (long) MIB);
        Path loop = compileCLoop();
        Timing java = null;
        long cRuns = -1;
        String cLine = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            java = measureJava(file);
            cLine = runCLoop(loop, file);
            cRuns = field(cLine, "runs");
            if (cRuns == java.runs()) {
                break;
            }
        }
        assertEquals(cRuns, java.runs(), "C and Java see the same physical runs of the cached file");
        long cTotal = field(cLine, "total_ns");
        String report = String.format(Locale.ROOT, """
                descriptor building, %d MiB cached file, best of %d rounds
                  physical runs: %d (%.2f per MiB); frames: %d; payload S/G entries: %d
                  C loop (map + touch + pagemap + coalesce):   total %.1f ms (touch %.1f ms, pagemap+coalesce %.1f ms)
                  Java (map + touch + pagemap + runs + frames): total %.1f ms (touch %.1f ms, pagemap+runs+frames %.1f ms)
                  ratio Java/C: %.2f (total), %.2f (after the page touches)
                """, mib, ROUNDS, java.runs(), java.runs() / (double) mib, java.frames(), java.entries(),
                cTotal / 1e6, field(cLine, "fault_ns") / 1e6, field(cLine, "pagemap_ns") / 1e6,
                java.totalNanos() / 1e6, java.faultNanos() / 1e6, java.translateNanos() / 1e6,
                java.totalNanos() / (double) cTotal, java.translateNanos() / (double) field(cLine, "pagemap_ns"));
        System.out.print(report);
        Path out = Path.of("target", "benchmarks");
        Files.createDirectories(out);
        Files.writeString(out.resolve("descriptor-building.txt"), report);
        assertTrue(java.frames() > 0);
    }

    private static Timing measureJava(Path file) throws IOException {
        int pageSize = PageSize.system();
        Segmenter segmenter = new Segmenter(DatapathLimits.ls1046a());
        Timing best = null;
        try (PagemapReader pagemap = PagemapReader.self(pageSize)) {
            for (int round = 0; round < ROUNDS + 2; round++) { // two rounds warm the JIT up
                long t0 = System.nanoTime();
                try (FileChannel in = FileChannel.open(file)) {
                    FileRange range = FileRange.whole(in.size());
                    try (FileMapping mapping = FileMapping.map(in, range, pageSize)) {
                        mapping.faultIn();
                        long t1 = System.nanoTime();
                        PageTranslation pages = pagemap.translate(mapping.pages());
                        List<PhysicalRun> runs = PhysicalRuns.coalesce(pages, 0, range.length(), 0);
                        FrameCursor frames = segmenter.frames(runs, 1460);
                        long entries = 0;
                        long checksum = 0;
                        while (frames.next()) {
                            for (int e = 0; e < frames.entryCount(); e++) {
                                checksum += frames.entryAddress(e) ^ frames.entryLength(e);
                            }
                            entries += frames.entryCount();
                        }
                        long t2 = System.nanoTime();
                        sink += checksum;
                        Timing timing = new Timing(runs.size(), t1 - t0, t2 - t1, t2 - t0, frames.frame() + 1, entries);
                        if (round >= 2 && (best == null || timing.totalNanos() < best.totalNanos())) {
                            best = timing;
                        }
                    }
                }
            }
        }
        return best;
    }

    private Path compileCLoop() throws Exception {
        Path source = Path.of(System.getProperty("layerstore.repo", ".."), "test-bench", "src", "test", "c", "pagemap-loop.c");
        Path binary = dir.resolve("pagemap-loop");
        Process gcc = new ProcessBuilder("gcc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", binary.toString(),
                source.toString()).redirectErrorStream(true).start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS), "gcc finished");
        assertEquals(0, gcc.exitValue(), new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return binary;
    }

    private static String runCLoop(Path loop, Path file) throws Exception {
        Process c = new ProcessBuilder(loop.toString(), file.toString(), String.valueOf(ROUNDS)).redirectErrorStream(true).start();
        assertTrue(c.waitFor(120, TimeUnit.SECONDS), "C loop finished");
        String line = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, c.exitValue(), line);
        return line;
    }

    private static long field(String line, String name) {
        for (String pair : line.split(" ")) {
            if (pair.startsWith(name + "=")) {
                return Long.parseLong(pair.substring(name.length() + 1));
            }
        }
        throw new IllegalArgumentException("no " + name + " in '" + line + "'");
    }

    private static void writeRandom(Path path, long size) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            RandomContent.write(out, size, new SplittableRandom(7), null);
        }
    }

    private static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals("0"));
    }
}
