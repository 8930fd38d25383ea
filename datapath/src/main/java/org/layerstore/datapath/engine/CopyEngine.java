// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;

/**
 * {@code copy}: read(2) into a user buffer, write(2) to the socket. Every byte is copied twice by the CPU
 * (page cache to buffer, buffer to socket buffer): the baseline the other engines are measured against,
 * and the engine that works everywhere.
 */
public final class CopyEngine extends AbstractEngine {

    /** The user buffer: large enough that syscalls do not dominate, small enough to stay in L2. */
    static final int BUFFER_BYTES = 256 * 1024;

    public CopyEngine() {
        super("copy");
    }

    @Override
    public Availability availability() {
        return Availability.available("read(2) + write(2) through a " + BUFFER_BYTES / 1024 + " KiB buffer works everywhere");
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) {
        return new CopyTransfer(file, range, statistics());
    }

    private static final class CopyTransfer extends AbstractTransfer {

        private final ByteBuffer buffer;
        private long readPosition;

        CopyTransfer(OpenFile file, FileRange range, EngineStatistics statistics) {
            super(file, range, statistics);
            this.buffer = ByteBuffer.allocateDirect((int) Math.min(BUFFER_BYTES, Math.max(1, range.length())));
            this.buffer.limit(0);
            this.readPosition = range.offset();
        }

        @Override
        protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
            if (!buffer.hasRemaining()) {
                fill();
            }
            int written = target.write(buffer);
            statistics.syscalls(1);
            statistics.moved(written, 2L * written);
            return written;
        }

        private void fill() throws IOException {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), range.end() - readPosition));
            int read = channel().read(buffer, readPosition);
            statistics.syscalls(1);
            if (read <= 0) {
                checkNotShrunk();
                throw new IOException("read at " + readPosition + " returned " + read + " inside a file of " + source.size()
                        + " bytes");
            }
            readPosition += read;
            buffer.flip();
        }
    }
}
