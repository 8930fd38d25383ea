package org.layerstore.bench.jmh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Pagemap translation of a mapped, faulted-in file range, the step the zero-copy engines take for
 * every range they send by physical address. The harness runs it with {@code file} set to the big
 * bench file and compares it with pagemap_loop.c over the same file and range sizes.
 *
 * <p>When the datapath's own translator (and its descriptor builder) is on the class path, each is one
 * more {@code @Benchmark} method here using the same mapped range, and one more row in
 * {@code PagemapComparison.BENCHMARKS}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PagemapTranslationBenchmark {

    /** The file to map; set by the harness. */
    @Param("")
    public String file;

    /** How much of it one translation covers. */
    @Param({"64", "2048"})
    public int rangeKiB;

    private Arena arena;
    private MemorySegment mapped;
    private PagemapTranslator translator;

    @Setup(Level.Trial)
    public void mapAndFaultIn() throws IOException {
        int pageSize = 4096;
        long length = rangeKiB * 1024L;
        arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
            if (channel.size() < length) {
                throw new IllegalArgumentException(file + " is smaller than " + rangeKiB + " KiB");
            }
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, length, arena);
        }
        long sum = 0;
        for (long offset = 0; offset < length; offset += pageSize) {
            sum += mapped.get(ValueLayout.JAVA_BYTE, offset);
        }
        translator = new PagemapTranslator(pageSize, (int) (length / pageSize) + 1);
        if (sum == Long.MIN_VALUE) {
            throw new AssertionError("unreachable; keeps the page touches alive");
        }
    }

    @Benchmark
    public long[] javaPagemapPread() throws IOException {
        return translator.translate(mapped.address(), mapped.byteSize());
    }

    @TearDown(Level.Trial)
    public void unmap() throws IOException {
        translator.close();
        arena.close();
    }
}
