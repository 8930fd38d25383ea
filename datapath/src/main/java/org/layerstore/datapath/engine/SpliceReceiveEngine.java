// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.libc.FdPair;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.SpliceFlags;

/**
 * {@code splice} for uploads: socket -> pipe -> file with splice(2), no copy through user space. The
 * source must be a {@link SocketDescriptor}; any other source is read through a buffer ({@code copy}),
 * recorded as a fallback.
 */
public final class SpliceReceiveEngine implements ReceiveEngine {

    static final String NO_DESCRIPTOR = "source has no socket descriptor: received through a buffer";

    private final EngineStatistics statistics = new EngineStatistics("splice-receive");
    private final CopyReceiveEngine fallback = new CopyReceiveEngine();

    @Override
    public String name() {
        return "splice";
    }

    @Override
    public Availability availability() {
        return Pipes.availability();
    }

    @Override
    public EngineStatistics statistics() {
        return statistics;
    }

    @Override
    public Receive open(OpenFile file, long position, long length) {
        if (position < 0 || length < 0) {
            throw new IllegalArgumentException("negative upload position " + position + " or length " + length);
        }
        return new SpliceReceive(file, position, length);
    }

    private final class SpliceReceive extends AbstractReceive {

        private final OpenFile file;
        private FdPair pipe;
        private Receive copy;

        SpliceReceive(OpenFile file, long position, long length) {
            super(position, length, SpliceReceiveEngine.this.statistics);
            this.file = file;
        }

        @Override
        protected long receiveChunk(ReadableByteChannel source) throws IOException {
            try {
                return source instanceof SocketDescriptor socket ? splice(socket) : viaBuffer(source);
            } catch (NativeCallException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        private long splice(SocketDescriptor socket) throws IOException {
            if (pipe == null) {
                pipe = Pipes.open();
                statistics.syscalls(2);
            }
            long in = Libc.splice(socket.fd(), Libc.NO_OFFSET, pipe.second(), Libc.NO_OFFSET,
                    Math.min(remaining(), Pipes.CAPACITY), SpliceFlags.MOVE);
            statistics.syscalls(1);
            if (in == Libc.WOULD_BLOCK) {
                return 0;
            }
            if (in == 0) {
                throw endedEarly();
            }
            long out = 0;
            while (out < in) {
                long n = Libc.splice(pipe.first(), Libc.NO_OFFSET, file.fd(), position + received() + out, in - out,
                        SpliceFlags.MOVE);
                statistics.syscalls(1);
                if (n <= 0) {
                    throw new IOException("splice into " + file + " at " + (position + received() + out) + " moved " + n);
                }
                out += n;
            }
            statistics.moved(in, 0);
            return in;
        }

        private long viaBuffer(ReadableByteChannel source) throws IOException {
            if (copy == null) {
                statistics.fallback(NO_DESCRIPTOR);
                copy = fallback.open(file, position + received(), remaining());
            }
            long n = copy.receiveFrom(source);
            statistics.syscalls(2);
            statistics.moved(n, 2 * n);
            return n;
        }

        @Override
        protected void release() {
            if (pipe != null) {
                pipe.close();
            }
            if (copy != null) {
                copy.close();
            }
        }
    }
}
