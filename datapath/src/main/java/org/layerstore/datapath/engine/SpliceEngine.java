// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.libc.FdPair;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.SpliceFlags;

/**
 * {@code splice}: file -> pipe -> socket with splice(2). Page-cache pages are moved into the pipe by
 * reference and from there into the socket: no CPU copy, two syscalls per pipe-full.
 *
 * <p>It needs the socket's descriptor: a {@link SocketDescriptor} target. Any other target is served
 * through {@link java.nio.channels.FileChannel#transferTo} instead, recorded as a fallback.
 */
public final class SpliceEngine extends AbstractEngine {

    static final String NO_DESCRIPTOR = "target has no socket descriptor: sent with FileChannel.transferTo";

    public SpliceEngine() {
        super("splice");
    }

    @Override
    public Availability availability() {
        return Pipes.availability();
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) {
        return new SpliceTransfer(file, range, statistics());
    }

    private static final class SpliceTransfer extends AbstractTransfer {

        private FdPair pipe;
        private long inPipe;

        SpliceTransfer(OpenFile file, FileRange range, EngineStatistics statistics) {
            super(file, range, statistics);
        }

        @Override
        protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
            if (!(target instanceof SocketDescriptor socket)) {
                statistics.fallback(NO_DESCRIPTOR);
                long sent = channel().transferTo(position, Math.min(count, SendfileEngine.MAX_CALL_BYTES), target);
                statistics.syscalls(1);
                statistics.moved(sent, SendfileEngine.isKernelChannel(target) ? 0 : 2 * sent);
                return sent;
            }
            try {
                if (pipe == null) {
                    pipe = Pipes.open();
                    statistics.syscalls(2);
                }
                if (inPipe == 0 && !fillPipe(position, count)) {
                    return 0;
                }
                int more = count > inPipe ? SpliceFlags.MORE : 0;
                long sent = Libc.splice(pipe.first(), Libc.NO_OFFSET, socket.fd(), Libc.NO_OFFSET, inPipe,
                        SpliceFlags.MOVE | more);
                statistics.syscalls(1);
                if (sent == Libc.WOULD_BLOCK) {
                    return 0;
                }
                inPipe -= sent;
                statistics.moved(sent, 0);
                return sent;
            } catch (NativeCallException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        /** Moves the next pages of the file into the empty pipe; false if none could be moved now. */
        private boolean fillPipe(long position, long count) throws IOException {
            long moved = Libc.splice(source.fd(), position, pipe.second(), Libc.NO_OFFSET, Math.min(count, Pipes.CAPACITY),
                    SpliceFlags.MOVE | SpliceFlags.NON_BLOCKING);
            statistics.syscalls(1);
            if (moved == 0) {
                checkNotShrunk();
                throw new IOException("splice from the file at " + position + " returned end of file inside the range");
            }
            if (moved == Libc.WOULD_BLOCK) {
                return false;
            }
            inPipe = moved;
            return true;
        }

        @Override
        protected void release() {
            if (pipe != null) {
                pipe.close();
                statistics.syscalls(2);
            }
        }
    }
}
