// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.datapath.testing.TestFiles;

class ZerocopyEngineTest {

    @TempDir
    Path dir;

    @Test
    void whenCompletionsReportThatTheKernelCopiedTheTransferFallsBackAndEveryByteCountsAsCopied() throws IOException {
        ZerocopyEngine engine = new ZerocopyEngine();
        assumeTrue(engine.availability().available(), engine.availability()::toString);
        Path file = dir.resolve("z.bin");
        long size = 9L * 1024 * 1024 + 3;
        String sha = TestFiles.create(file, size, 5);
        try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
            try (SocketChannel socket = receiver.connect()) {
                Transfers.sendAll(engine.open(in, FileRange.whole(size)), SocketDescriptor.of(socket));
            }
            assertEquals(sha, receiver.await(Duration.ofSeconds(30)).sha256());
        }
        EngineStatisticsSnapshot stats = engine.statistics().snapshot();
        assertEquals(size, stats.bytes());
        // loopback delivers to a local socket, where the kernel must copy the pinned pages: it says so
        assertEquals(size, stats.cpuCopiedBytes());
        assertEquals(1L, stats.fallbacks().get(ZerocopyEngine.KERNEL_COPIED), "falls back once: " + stats.fallbacks());
    }
}
