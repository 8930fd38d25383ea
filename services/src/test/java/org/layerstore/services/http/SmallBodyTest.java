// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.datapath.stats.EngineStatistics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;

/** A small body read into its buffer from a real file, and from one truncated after it was opened. */
class SmallBodyTest {

    @TempDir
    Path dir;

    @Test
    void readsTheRangeAndCountsOneCopy() throws Exception {
        byte[] content = new byte[SmallBody.MAX_BYTES];
        new Random(3).nextBytes(content);
        Path file = Files.write(dir.resolve("small.bin"), content);
        EngineStatistics copy = new EngineStatistics("copy");
        try (OpenFile open = OpenFile.read(file)) {
            ByteBuf body = SmallBody.read(UnpooledByteBufAllocator.DEFAULT, open, 7, 4000, copy);
            try {
                assertArrayEquals(java.util.Arrays.copyOfRange(content, 7, 4007), ByteBufUtil.getBytes(body));
            } finally {
                body.release();
            }
        }
        assertEquals(4000, copy.snapshot().cpuCopiedBytes());
    }

    @Test
    void aFileTruncatedAfterOpeningIsNamedAsSuch() throws Exception {
        Path file = Files.write(dir.resolve("shrinking.bin"), new byte[4096]);
        try (OpenFile open = OpenFile.read(file)) {
            try (FileChannel writer = FileChannel.open(file, StandardOpenOption.WRITE)) {
                writer.truncate(100);
            }
            FileShrankException e = assertThrows(FileShrankException.class,
                    () -> SmallBody.read(UnpooledByteBufAllocator.DEFAULT, open, 0, 4096, new EngineStatistics("copy")));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("100 bytes read"), e.getMessage());
        }
    }
}
