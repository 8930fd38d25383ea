// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Optional;
import java.util.function.Consumer;

import org.layerstore.hal.bindings.libc.cmsghdr;
import org.layerstore.hal.bindings.libc.iovec;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.msghdr;
import org.layerstore.hal.bindings.libc.sock_extended_err;

/**
 * A connected TCP socket's MSG_ZEROCOPY side (Linux Documentation/networking/msg_zerocopy.rst): sends that
 * leave the pages with the kernel until it posts a completion on the socket's error queue, and the reading
 * of those completions. As Netty's {@code LinuxSocket}, it builds the {@code msghdr}, {@code iovec} and
 * control messages itself, so no layer above the HAL sees a C struct.
 *
 * <p>Not thread-safe: one per transfer. The descriptor stays the caller's; {@link #close} frees only the
 * structs (an arena of its own, alive from construction to close).
 */
public final class ZerocopySocket implements AutoCloseable {

    /** {@code CMSG_ALIGN}: control messages start on {@code size_t} boundaries (8 bytes on LP64). */
    private static final long CMSG_ALIGN = 8;
    /** {@code CMSG_LEN(0)}: where a control message's data starts. */
    private static final long CMSG_DATA_OFFSET = align(cmsghdr.sizeof());
    /** Room for several completions per recvmsg: the kernel may queue one control message per send. */
    private static final long CONTROL_BYTES = 256;

    /**
     * Sends {@code firstId}..{@code lastId} (the kernel numbers a socket's zerocopy sends from 0, wrapping
     * at 2^32) are done with their pages. {@code copied}: the kernel copied the data after all
     * (SO_EE_CODE_ZEROCOPY_COPIED: loopback, a device without scatter/gather).
     */
    public record Completion(long firstId, long lastId, boolean copied) {
    }

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment message = msghdr.allocate(arena);
    private final MemorySegment iov = iovec.allocate(arena);
    private final MemorySegment control = arena.allocate(CONTROL_BYTES, CMSG_ALIGN);

    /** {@code fd}: a connected TCP socket, still the caller's to close. */
    public ZerocopySocket(int fd) {
        this.fd = fd;
    }

    /** setsockopt(SO_ZEROCOPY, 1): the socket accepts MSG_ZEROCOPY sends (throws when the kernel refuses). */
    public void enable() {
        Libc.setsockopt(fd, libc_h.SOL_SOCKET(), libc_h.SO_ZEROCOPY(), 1);
    }

    /**
     * sendmsg(MSG_ZEROCOPY | MSG_NOSIGNAL) of {@code chunk}, whose memory must stay as it is until the
     * send's completion: the count sent or {@link Libc#WOULD_BLOCK}. ENOBUFS (too many completions
     * outstanding, optmem_max) comes as a {@link NativeCallException}: read completions, then try again.
     */
    public long send(MemorySegment chunk) {
        iovec.iov_base(iov, chunk);
        iovec.iov_len(iov, chunk.byteSize());
        msghdr.msg_iov(message, iov);
        msghdr.msg_iovlen(message, 1);
        msghdr.msg_control(message, MemorySegment.NULL);
        msghdr.msg_controllen(message, 0);
        return Libc.sendmsg(fd, message, libc_h.MSG_ZEROCOPY() | libc_h.MSG_NOSIGNAL());
    }

    /**
     * Reads one message from the error queue without waiting and hands every zerocopy completion among its
     * control messages to {@code sink} (not only the first: the kernel may put several in one message).
     * Other control messages (an ICMP error, say) are skipped. False when the queue was empty.
     */
    public boolean readCompletions(Consumer<Completion> sink) {
        msghdr.msg_iov(message, MemorySegment.NULL);
        msghdr.msg_iovlen(message, 0);
        msghdr.msg_control(message, control);
        msghdr.msg_controllen(message, control.byteSize());
        long n = Libc.recvmsg(fd, message, libc_h.MSG_ERRQUEUE() | libc_h.MSG_DONTWAIT());
        if (n == Libc.WOULD_BLOCK) {
            return false;
        }
        completions(control, Math.min(msghdr.msg_controllen(message), control.byteSize()), sink);
        return true;
    }

    /**
     * Every zerocopy completion among the control messages in the first {@code length} bytes of
     * {@code control}, in order (CMSG_FIRSTHDR / CMSG_NXTHDR: each header's cmsg_len, aligned, leads to the
     * next). A header that claims more than is there ends the walk (MSG_CTRUNC, or malformed).
     */
    static void completions(MemorySegment control, long length, Consumer<Completion> sink) {
        for (long at = 0; at + cmsghdr.sizeof() <= length; ) {
            MemorySegment cmsg = control.asSlice(at, length - at);
            long cmsgLength = cmsghdr.cmsg_len(cmsg);
            if (cmsgLength < cmsghdr.sizeof() || at + cmsgLength > length) {
                break;
            }
            completion(cmsg, cmsgLength).ifPresent(sink);
            at += align(cmsgLength);
        }
    }

    private static Optional<Completion> completion(MemorySegment cmsg, long length) {
        int level = cmsghdr.cmsg_level(cmsg);
        int type = cmsghdr.cmsg_type(cmsg);
        boolean recvErr = level == libc_h.SOL_IP() && type == libc_h.IP_RECVERR()
                || level == libc_h.SOL_IPV6() && type == libc_h.IPV6_RECVERR();
        if (!recvErr || length < CMSG_DATA_OFFSET + sock_extended_err.sizeof()) {
            return Optional.empty();
        }
        MemorySegment error = cmsg.asSlice(CMSG_DATA_OFFSET, sock_extended_err.sizeof());
        if (sock_extended_err.ee_errno(error) != 0 || sock_extended_err.ee_origin(error) != libc_h.SO_EE_ORIGIN_ZEROCOPY()) {
            return Optional.empty();
        }
        // ee_info..ee_data: the range of send ids this completion covers (msg_zerocopy.rst, "Notification parsing").
        return Optional.of(new Completion(Integer.toUnsignedLong(sock_extended_err.ee_info(error)),
                Integer.toUnsignedLong(sock_extended_err.ee_data(error)),
                (sock_extended_err.ee_code(error) & libc_h.SO_EE_CODE_ZEROCOPY_COPIED()) != 0));
    }

    private static long align(long length) {
        return (length + CMSG_ALIGN - 1) & -CMSG_ALIGN;
    }

    @Override
    public void close() {
        arena.close();
    }
}
