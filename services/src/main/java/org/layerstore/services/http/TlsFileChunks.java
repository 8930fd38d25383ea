package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;

import org.layerstore.datapath.stats.EngineStatistics;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.stream.ChunkedNioFile;

/**
 * A file range read in chunks into buffers for the SSL engine: the datapath's {@code copy} engine in
 * Netty's form (the bytes must reach user space to be encrypted), counted in that engine's statistics
 * as one CPU copy per byte and one read per chunk.
 */
final class TlsFileChunks extends ChunkedNioFile {

    private final EngineStatistics statistics;

    TlsFileChunks(FileChannel file, long offset, long length, int chunkBytes, EngineStatistics statistics)
            throws IOException {
        super(file, offset, length, chunkBytes);
        this.statistics = statistics;
        statistics.transferStarted();
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) throws Exception {
        ByteBuf chunk;
        try {
            chunk = super.readChunk(allocator);
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
