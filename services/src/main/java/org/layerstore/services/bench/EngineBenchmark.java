// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.SocketDescriptor;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.Transfers;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;

/**
 * Sends one file through each engine to a {@link LoopbackSink} and measures, per engine, throughput,
 * the sending thread's CPU time and the CPU-copied bytes the engine counted. The file is read once first
 * so every engine starts from a warm page cache.
 */
public final class EngineBenchmark {

    private static final Duration RECEIVE_TIMEOUT = Duration.ofMinutes(5);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    public EngineBenchmark() {
        if (!threads.isCurrentThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time, which bench reports");
        }
    }

    /** Runs every given engine {@code rounds} times over the whole file, in order. */
    public List<EngineBenchResult> run(Path file, List<TransmitEngine> engines, int rounds) throws IOException {
        if (rounds <= 0) {
            throw new IllegalArgumentException("rounds " + rounds + " is not positive");
        }
        List<EngineBenchResult> results = new ArrayList<>();
        try (OpenFile in = OpenFile.read(file); LoopbackSink sink = new LoopbackSink()) {
            warmPageCache(in);
            for (TransmitEngine engine : engines) {
                results.add(measure(engine, in, sink, rounds));
            }
        }
        return results;
    }

    private EngineBenchResult measure(TransmitEngine engine, OpenFile in, LoopbackSink sink, int rounds)
            throws IOException {
        long size = in.size();
        EngineStatisticsSnapshot before = engine.statistics().snapshot();
        long wall = 0;
        long cpu = 0;
        for (int round = 0; round < rounds; round++) {
            try (LoopbackSink.Connection connection = sink.connect()) {
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                Transfers.sendAll(engine.open(in, FileRange.whole(size)), SocketDescriptor.of(connection.socket()));
                long received = connection.finish(RECEIVE_TIMEOUT);
                wall += System.nanoTime() - start;
                cpu += threads.getCurrentThreadCpuTime() - cpuStart;
                if (received != size) {
                    throw new IOException(engine.name() + " delivered " + received + " of " + size + " bytes");
                }
            }
        }
        EngineStatisticsSnapshot after = engine.statistics().snapshot();
        Map<String, Long> fallbacks = new HashMap<>();
        after.fallbacks().forEach((reason, count) -> {
            long delta = count - before.fallbacks().getOrDefault(reason, 0L);
            if (delta > 0) {
                fallbacks.put(reason, delta);
            }
        });
        return new EngineBenchResult(engine.name(), size * rounds, wall, cpu, after.cpuCopiedBytes() - before.cpuCopiedBytes(),
                after.syscalls() - before.syscalls(), Map.copyOf(fallbacks));
    }

    private static void warmPageCache(OpenFile in) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        long at = 0;
        long size = in.size();
        while (at < size) {
            int n = in.channel().read(buffer.clear(), at);
            if (n < 0) {
                throw new IOException(in + " ended at " + at + " while warming the page cache");
            }
            at += n;
        }
    }
}
