// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.jmh;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.frames.FrameCursor;
import org.layerstore.datapath.frames.PhysicalRun;
import org.layerstore.datapath.frames.PhysicalRuns;
import org.layerstore.datapath.frames.Segmenter;
import org.layerstore.datapath.pagemap.PagemapReader;
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
 * The per-range work of a send by physical address on a mapped, faulted-in file range: pagemap translation
 * alone ({@link #javaPagemapPread}), and descriptor building as the datapath does it
 * ({@link #datapathDescriptorBuilding}). The harness runs both with {@code file} set to the big bench file
 * and compares each with its mode of pagemap_loop.c over the same file and range sizes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PagemapTranslationBenchmark {

    /** The MSS of an Ethernet connection with 1500-byte IP packets. */
    private static final int MSS = 1460;

    /** The file to map; set by the harness. */
    @Param("")
    public String file;

    /** How much of it one translation covers. */
    @Param({"64", "2048"})
    public int rangeKiB;

    private Arena arena;
    private MemorySegment mapped;
    private PagemapTranslator translator;
    private PagemapReader datapathPagemap;
    private final Segmenter segmenter = new Segmenter(DatapathLimits.ls1046a());

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
        datapathPagemap = PagemapReader.self(pageSize);
        datapathPagemap.translate(mapped).unusableReason().ifPresent(reason -> {
            throw new IllegalStateException("descriptor building needs physical addresses (run as root): " + reason);
        });
        if (sum == Long.MIN_VALUE) {
            throw new AssertionError("unreachable; keeps the page touches alive");
        }
    }

    @Benchmark
    public long[] javaPagemapPread() throws IOException {
        return translator.translate(mapped.address(), mapped.byteSize());
    }

    /**
     * What a send by physical address does for a range before it encodes descriptors: the datapath's pagemap
     * reader, {@link PhysicalRuns#coalesce} (which first checks every page is present with a visible PFN),
     * and a walk over every frame of a 1460-byte MSS connection and each of its S/G entries (address and
     * length, the values a descriptor is encoded from).
     */
    @Benchmark
    public long datapathDescriptorBuilding() throws IOException {
        List<PhysicalRun> runs = PhysicalRuns.coalesce(datapathPagemap.translate(mapped), 0, mapped.byteSize(), 0);
        FrameCursor frames = segmenter.frames(runs, MSS);
        long checksum = 0;
        while (frames.next()) {
            for (int entry = 0; entry < frames.entryCount(); entry++) {
                checksum += frames.entryAddress(entry) ^ frames.entryLength(entry);
            }
        }
        return checksum;
    }

    @TearDown(Level.Trial)
    public void unmap() throws IOException {
        translator.close();
        datapathPagemap.close();
        arena.close();
    }
}
