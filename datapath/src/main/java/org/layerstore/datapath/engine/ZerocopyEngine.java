// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.bindings.libc.cmsghdr;
import org.layerstore.hal.bindings.libc.iovec;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.msghdr;
import org.layerstore.hal.bindings.libc.sock_extended_err;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code zerocopy}: sendmsg(2) with MSG_ZEROCOPY straight from the mapped file pages. The kernel pins the
 * pages and attaches them to the socket buffer; when the NIC is done it posts a completion on the
 * socket's error queue, read with recvmsg(MSG_ERRQUEUE). The mapping stays until every send of the
 * transfer is completed. When the kernel had to copy after all (loopback, a NIC without scatter/gather)
 * the completion says so (SO_EE_CODE_ZEROCOPY_COPIED): those bytes count as CPU-copied, and the rest of the
 * transfer falls back to plain writes from the mapping (recorded once as a fallback), since pinning and
 * notifications then only add cost.
 *
 * <p>It needs the socket's descriptor ({@link SocketDescriptor}); any other target gets plain writes from
 * the mapping, recorded as a fallback.
 */
public final class ZerocopyEngine extends AbstractEngine {

    static final long MAX_SEND_BYTES = 4L * 1024 * 1024;
    static final String KERNEL_COPIED = "kernel copied MSG_ZEROCOPY data (loopback peer, or a NIC without scatter/gather)";
    static final String NO_DESCRIPTOR = "target has no socket descriptor: wrote from the mapping";
    /** How long close() waits for outstanding completions before it unmaps anyway. */
    static final long COMPLETION_WAIT_MILLIS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(ZerocopyEngine.class);
    private static final Availability AVAILABILITY = probe();

    public ZerocopyEngine() {
        super("zerocopy");
    }

    /** True: MSG_ZEROCOPY completions are read from the socket's error queue after the call returns. */
    @Override
    public boolean usesSocketAfterWrite() {
        return true;
    }

    @Override
    public Availability availability() {
        return AVAILABILITY;
    }

    private static Availability probe() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            String[] parts = release.split("[.-]");
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            if (major > 4 || major == 4 && minor >= 14) {
                return Availability.available("kernel " + release + " has MSG_ZEROCOPY for TCP (since 4.14)");
            }
            return Availability.unavailable("kernel " + release + " predates MSG_ZEROCOPY for TCP (4.14)");
        } catch (IOException | RuntimeException e) {
            return Availability.unavailable("cannot tell the kernel version from /proc/sys/kernel/osrelease: " + e);
        }
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) throws IOException {
        FileMapping mapping = FileMapping.map(file.channel(), range, PageSize.system());
        statistics().syscalls(1);
        return new ZerocopyTransfer(file, range, statistics(), mapping);
    }

    private static final class ZerocopyTransfer extends AbstractTransfer {

        private final FileMapping mapping;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment message = msghdr.allocate(arena);
        private final MemorySegment iov = iovec.allocate(arena);
        private final MemorySegment control = arena.allocate(256, 8);
        private SocketDescriptor socket;
        private boolean zerocopyRefused;
        private boolean kernelCopies;
        private long[] sendBytes = new long[64];
        private int sends;
        private int completed;
        private long firstId = -1;

        ZerocopyTransfer(OpenFile file, FileRange range, EngineStatistics statistics, FileMapping mapping) {
            super(file, range, statistics);
            this.mapping = mapping;
        }

        @Override
        protected long writeSome(WritableByteChannel target, long position, long count) throws IOException {
            MemorySegment chunk = mapping.payload().asSlice(position - range.offset(), Math.min(count, MAX_SEND_BYTES));
            if (!(target instanceof SocketDescriptor descriptor)) {
                statistics.fallback(NO_DESCRIPTOR);
                return plainWrite(target, chunk);
            }
            if (socket == null) {
                socket = descriptor;
                enableZerocopy();
            }
            if (zerocopyRefused || kernelCopies) {
                return plainWrite(target, chunk);
            }
            try {
                iovec.iov_base(iov, chunk);
                iovec.iov_len(iov, chunk.byteSize());
                msghdr.msg_iov(message, iov);
                msghdr.msg_iovlen(message, 1);
                msghdr.msg_control(message, MemorySegment.NULL);
                msghdr.msg_controllen(message, 0);
                long sent = Libc.sendmsg(socket.fd(), message, libc_h.MSG_ZEROCOPY() | libc_h.MSG_NOSIGNAL());
                statistics.syscalls(1);
                if (sent == Libc.WOULD_BLOCK) {
                    reapCompletions();
                    return 0;
                }
                recordSend(sent);
                statistics.moved(sent, 0);
                reapCompletions();
                if (sent == 0) {
                    checkNotShrunk();
                }
                return sent;
            } catch (NativeCallException e) {
                if (e.errno().code() == Errno.ENOBUFS) {
                    // Too many notifications outstanding (optmem_max): collect some, then try again.
                    reapCompletions();
                    return 0;
                }
                throw new IOException(e.getMessage(), e);
            }
        }

        private void enableZerocopy() {
            try {
                Libc.setsockopt(socket.fd(), libc_h.SOL_SOCKET(), libc_h.SO_ZEROCOPY(), 1);
                statistics.syscalls(1);
            } catch (NativeCallException e) {
                zerocopyRefused = true;
                statistics.fallback("SO_ZEROCOPY refused (" + e.errno().symbol() + "): wrote from the mapping");
            }
        }

        private long plainWrite(WritableByteChannel target, MemorySegment chunk) throws IOException {
            int written = target.write(chunk.asByteBuffer());
            statistics.syscalls(1);
            statistics.moved(written, written);
            if (written == 0) {
                checkNotShrunk();
            }
            return written;
        }

        private void recordSend(long bytes) {
            if (sends == sendBytes.length) {
                sendBytes = Arrays.copyOf(sendBytes, sends * 2);
            }
            sendBytes[sends++] = bytes;
        }

        /** Reads every completion queued now; non-blocking (MSG_ERRQUEUE never waits). */
        private void reapCompletions() {
            while (completed < sends) {
                msghdr.msg_iov(message, MemorySegment.NULL);
                msghdr.msg_iovlen(message, 0);
                msghdr.msg_control(message, control);
                msghdr.msg_controllen(message, control.byteSize());
                long n = Libc.recvmsg(socket.fd(), message, libc_h.MSG_ERRQUEUE() | libc_h.MSG_DONTWAIT());
                statistics.syscalls(1);
                if (n == Libc.WOULD_BLOCK) {
                    return;
                }
                completion(control);
            }
        }

        private void completion(MemorySegment cmsg) {
            long length = cmsghdr.cmsg_len(cmsg);
            int level = cmsghdr.cmsg_level(cmsg);
            int type = cmsghdr.cmsg_type(cmsg);
            boolean recvErr = level == libc_h.SOL_IP() && type == libc_h.IP_RECVERR()
                    || level == libc_h.SOL_IPV6() && type == libc_h.IPV6_RECVERR();
            long dataOffset = (cmsghdr.sizeof() + 7) & -8;
            if (!recvErr || length < dataOffset + sock_extended_err.sizeof()) {
                return;
            }
            MemorySegment error = cmsg.asSlice(dataOffset, sock_extended_err.sizeof());
            if (sock_extended_err.ee_errno(error) != 0 || sock_extended_err.ee_origin(error) != libc_h.SO_EE_ORIGIN_ZEROCOPY()) {
                return;
            }
            long low = Integer.toUnsignedLong(sock_extended_err.ee_info(error));
            long high = Integer.toUnsignedLong(sock_extended_err.ee_data(error));
            if (firstId < 0) {
                firstId = low;
            }
            boolean copied = (sock_extended_err.ee_code(error) & libc_h.SO_EE_CODE_ZEROCOPY_COPIED()) != 0;
            for (long id = low; id <= high; id++) {
                int index = (int) (id - firstId);
                if (copied && index >= 0 && index < sends) {
                    statistics.moved(0, sendBytes[index]);
                }
            }
            completed += (int) (high - low + 1);
            if (copied && !kernelCopies) {
                // The kernel copied anyway: pinning and notifications now only cost. Plain writes from here on.
                kernelCopies = true;
                statistics.fallback(KERNEL_COPIED);
            }
        }

        @Override
        protected void release() {
            try {
                long deadline = System.nanoTime() + COMPLETION_WAIT_MILLIS * 1_000_000;
                while (socket != null && completed < sends && System.nanoTime() < deadline) {
                    reapCompletions();
                    if (completed < sends) {
                        Thread.sleep(1);
                    }
                }
                if (completed < sends) {
                    LOG.warn("{} of {} MSG_ZEROCOPY sends of {} not completed after {} ms: unmapping anyway (the kernel"
                            + " holds its own page references)", sends - completed, sends, range, COMPLETION_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (NativeCallException e) {
                LOG.warn("reading MSG_ZEROCOPY completions of {} failed: {}", range, e.getMessage());
            } finally {
                arena.close();
                mapping.close();
                statistics.syscalls(1);
            }
        }
    }
}
