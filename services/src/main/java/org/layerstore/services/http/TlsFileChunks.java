// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.datapath.stats.EngineStatistics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.stream.ChunkedNioFile;

/**
 * A file range read in chunks into buffers for the SSL engine: the datapath's {@code copy} engine in
 * Netty's form (the bytes must reach user space to be encrypted), counted in that engine's statistics
 * as one CPU copy per byte and one read per chunk.
 *
 * <p>A chunk shorter than asked for means the file was truncated under the transfer: that fails with
 * {@link FileShrankException}, as the plain-HTTP engines do. Netty's {@link ChunkedNioFile} would
 * instead hand out empty chunks without ever reaching its end, and {@code ChunkedWriteHandler} writes
 * those in a loop that never returns to the event loop while the channel stays writable.
 */
final class TlsFileChunks extends ChunkedNioFile {

    private final EngineStatistics statistics;
    private final int chunkBytes;
    private final FileChannel file;

    TlsFileChunks(FileChannel file, long offset, long length, int chunkBytes, EngineStatistics statistics)
            throws IOException {
        super(file, offset, length, chunkBytes);
        this.file = file;
        this.chunkBytes = chunkBytes;
        this.statistics = statistics;
        statistics.transferStarted();
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        long at = currentOffset();
        long expected = Math.min(chunkBytes, endOffset() - at);
        ByteBuf chunk;
        try {
            chunk = super.readChunk(allocator);
            if (chunk != null && chunk.readableBytes() < expected) {
                int n = chunk.readableBytes();
                chunk.release();
                throw new FileShrankException("file shrank to " + file.size() + " bytes while sending [" + startOffset()
                        + ", " + endOffset() + "): " + n + " of " + expected + " bytes read at " + at);
            }
        } catch (Exception e) {
            statistics.transferFailed();
            throw e;
        }
        if (chunk != null) {
            int n = chunk.readableBytes();
            statistics.syscalls(1);
            statistics.moved(n, n);
        }
        return chunk;
    }
}
