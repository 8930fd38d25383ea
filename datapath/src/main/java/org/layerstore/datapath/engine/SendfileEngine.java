// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

/**
 * {@code sendfile}: sendfile(2) to a {@link SocketDescriptor}, or {@link FileChannel#transferTo}, which the
 * JDK implements with sendfile(2) when the target is a kernel channel (a {@link SocketChannel}, a pipe or
 * a file). The CPU copies nothing on a
 * NIC with scatter/gather; the kernel attaches page-cache pages to the socket buffer.
 *
 * <p>For any other target (Netty's wrapper of an epoll socket, for instance) the JDK reads into a buffer
 * and writes it: that is recorded as a fallback with two CPU copies per byte. Netty callers hand the
 * epoll channel's descriptor as a {@link SocketDescriptor}.
 */
public final class SendfileEngine extends AbstractEngine {

    static final long MAX_CALL_BYTES = 16L * 1024 * 1024;
    static final String NOT_A_KERNEL_CHANNEL = "target is not a kernel channel: the JDK copied through a buffer";

    public SendfileEngine() {
        super("sendfile");
    }

    @Override
    public Availability availability() {
        return Availability.available("FileChannel.transferTo uses sendfile(2) to kernel sockets");
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) {
        return new SendfileTransfer(file, range, statistics());
    }

    static boolean isKernelChannel(WritableByteChannel target) {
        return target instanceof SocketChannel || target instanceof FileChannel || target instanceof Pipe.SinkChannel;
    }

    private static final class SendfileTransfer extends AbstractTransfer {

        private boolean fallbackRecorded;

        SendfileTransfer(OpenFile file, FileRange range, EngineStatistics statistics) {
            super(file, range, statistics);
        }

        @Override
        protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
            if (target instanceof SocketDescriptor socket) {
                return sendfile(socket, position, count);
            }
            boolean direct = isKernelChannel(target);
            if (!direct && !fallbackRecorded) {
                fallbackRecorded = true;
                statistics.fallback(NOT_A_KERNEL_CHANNEL);
            }
            long sent = channel().transferTo(position, Math.min(count, MAX_CALL_BYTES), target);
            statistics.syscalls(direct ? 1 : 2);
            statistics.moved(sent, direct ? 0 : 2 * sent);
            if (sent == 0) {
                checkNotShrunk();
            }
            return sent;
        }

        private long sendfile(SocketDescriptor socket, long position, long count) throws IOException {
            long sent;
            try {
                sent = Libc.sendfile(socket.fd(), source.fd(), position, Math.min(count, MAX_CALL_BYTES));
            } catch (NativeCallException e) {
                throw new IOException(e.getMessage(), e);
            }
            statistics.syscalls(1);
            if (sent == Libc.WOULD_BLOCK) {
                return 0;
            }
            statistics.moved(sent, 0);
            if (sent == 0) {
                checkNotShrunk();
            }
            return sent;
        }
    }
}
