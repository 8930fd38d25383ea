// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.ZerocopySocket;
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
        return new ZerocopyTransfer(file, range, statistics(), mapRange(file, range));
    }

    private static final class ZerocopyTransfer extends AbstractTransfer {

        private final FileMapping mapping;
        private SocketDescriptor socket;
        /** The socket's MSG_ZEROCOPY side, from the first write to a socket descriptor until release. */
        private ZerocopySocket zerocopy;
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
                zerocopy = new ZerocopySocket(descriptor.fd());
                enableZerocopy();
            }
            if (zerocopyRefused || kernelCopies) {
                return plainWrite(target, chunk);
            }
            try {
                long sent = zerocopy.send(chunk);
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
                zerocopy.enable();
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
                boolean read = zerocopy.readCompletions(this::completion);
                statistics.syscalls(1);
                if (!read) {
                    return;
                }
            }
        }

        private void completion(ZerocopySocket.Completion done) {
            long low = done.firstId();
            long high = done.lastId();
            if (firstId < 0) {
                firstId = low;
            }
            for (long id = low; id <= high; id++) {
                int index = (int) (id - firstId);
                if (done.copied() && index >= 0 && index < sends) {
                    statistics.moved(0, sendBytes[index]);
                }
            }
            completed += (int) (high - low + 1);
            if (done.copied() && !kernelCopies) {
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
                if (zerocopy != null) {
                    zerocopy.close();
                }
                mapping.close();
                statistics.syscalls(1);
            }
        }
    }
}
