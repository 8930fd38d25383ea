// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.stats.EngineStatistics;

/**
 * {@code mmap}: map the range, write(2) from the mapped pages. The CPU copies each byte once (page cache
 * to socket buffer). A file truncated meanwhile makes the kernel's copy fault, which write(2) reports as
 * EFAULT (the kernel never raises SIGBUS for its own accesses), and the transfer fails with
 * {@link org.layerstore.datapath.mapping.FileShrankException}.
 */
public final class MmapEngine extends AbstractEngine {

    /** Bytes handed to one write(2); bounded so a slow peer does not pin a huge slice per call. */
    static final int MAX_WRITE_BYTES = 16 * 1024 * 1024;

    public MmapEngine() {
        super("mmap");
    }

    @Override
    public Availability availability() {
        return Availability.available("mmap(2) + write(2): one CPU copy per byte");
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) throws IOException {
        return new MmapTransfer(file, range, statistics(), mapRange(file, range));
    }

    private static final class MmapTransfer extends AbstractTransfer {

        private final FileMapping mapping;

        MmapTransfer(OpenFile file, FileRange range, EngineStatistics statistics, FileMapping mapping) {
            super(file, range, statistics);
            this.mapping = mapping;
        }

        @Override
        protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
            long at = position - range.offset();
            ByteBuffer slice = mapping.payload().asSlice(at, Math.min(count, MAX_WRITE_BYTES)).asByteBuffer();
            int written = target.write(slice);
            statistics.syscalls(1);
            statistics.moved(written, written);
            if (written == 0) {
                checkNotShrunk();
            }
            return written;
        }

        @Override
        protected void release() {
            mapping.close();
            statistics.syscalls(1);
        }
    }
}
