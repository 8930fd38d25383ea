// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import org.layerstore.datapath.OpenFile;
import java.nio.channels.ReadableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.stats.EngineStatistics;

/** {@code copy} for uploads: read(2) from the socket into a user buffer, pwrite(2) into the file. */
public final class CopyReceiveEngine implements ReceiveEngine {

    private final EngineStatistics statistics = new EngineStatistics("copy-receive");

    @Override
    public String name() {
        return "copy";
    }

    @Override
    public Availability availability() {
        return Availability.available("read(2) + pwrite(2) through a buffer works everywhere");
    }

    @Override
    public EngineStatistics statistics() {
        return statistics;
    }

    @Override
    public Receive open(OpenFile file, long position, long length) throws IOException {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative upload position " + position + " or length " + length);
        }
        return new CopyReceive(file.channel(), position, length, statistics);
    }

    private static final class CopyReceive extends AbstractReceive {

        private final FileChannel file;
        private final ByteBuffer buffer;

        CopyReceive(FileChannel file, long position, long length, EngineStatistics statistics) {
            super(position, length, statistics);
            this.file = file;
            this.buffer = ByteBuffer.allocateDirect((int) Math.min(CopyEngine.BUFFER_BYTES, Math.max(1, length)));
        }

        @Override
        protected long receiveChunk(ReadableByteChannel source) throws IOException {
            buffer.clear().limit((int) Math.min(buffer.capacity(), remaining()));
            int read = source.read(buffer);
            statistics.syscalls(1);
            if (read < 0) {
                throw endedEarly();
            }
            buffer.flip();
            long at = position + received();
            while (buffer.hasRemaining()) {
                at += file.write(buffer, at);
                statistics.syscalls(1);
            }
            statistics.moved(read, 2L * read);
            return read;
        }
    }
}
