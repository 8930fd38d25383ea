// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteOrder;
import java.util.List;

import org.layerstore.hal.bindings.libc.iovec;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.msghdr;

/**
 * A raw {@code AF_PACKET} socket bound to one network interface: whole Ethernet frames in and out, the
 * wire of the user-space network stack on a veth end (tests) before the frame manager's port drives it.
 *
 * <p>{@code socket}, {@code bind} and {@code if_nametoindex} are not in the curated jextract surface yet,
 * so they are linked here by hand from the C library's symbols (same signatures on x86-64 and arm64),
 * errno captured as for the generated calls. The packet-socket constants come from the generated
 * bindings ({@code libc.includes}); they are the same on x86-64 and arm64.
 *
 * <p>The socket is blocking for {@link #send} (a veth transmits at once, so a send only waits while the
 * socket's buffer is full) and is read only after {@link #awaitFrame} says a frame is there. Frames the
 * socket itself sends are not looped back ({@code PACKET_IGNORE_OUTGOING}).
 *
 * <p>Not thread-safe: one event-loop thread owns it.
 */
public final class PacketSocket implements AutoCloseable {

    private static final long SOCKADDR_LL_BYTES = 20;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = ErrnoCapture.link(symbol("socket"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = ErrnoCapture.link(symbol("bind"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = ErrnoCapture.link(symbol("if_nametoindex"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));

    /** Most pieces one frame is gathered from in one {@code sendmsg}. */
    public static final int MAX_PIECES = 64;

    private final int fd;
    private final String interfaceName;
    // Shared: the socket may be opened on one thread and driven by the event loop's thread.
    private final Arena arena = Arena.ofShared();
    private final MemorySegment message = msghdr.allocate(arena);
    private final MemorySegment vector = iovec.allocateArray(MAX_PIECES, arena);
    private boolean closed;

    private PacketSocket(int fd, String interfaceName) {
        this.fd = fd;
        this.interfaceName = interfaceName;
    }

    /**
     * Opens a packet socket receiving every protocol on {@code interfaceName} (needs CAP_NET_RAW).
     *
     * @throws NativeCallException naming the call that failed (ENODEV for an unknown interface, EPERM
     *         without the capability)
     */
    public static PacketSocket open(String interfaceName) {
        int ifindex = interfaceIndex(interfaceName);
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(ErrnoCapture.state(), libc_h.AF_PACKET(), libc_h.SOCK_RAW() | libc_h.SOCK_CLOEXEC(),
                    networkOrder(libc_h.ETH_P_ALL()));
        } catch (Throwable e) {
            throw new IllegalStateException("socket: downcall failed", e);
        }
        if (fd < 0) {
            throw new NativeCallException("socket", "AF_PACKET, SOCK_RAW, ETH_P_ALL", ErrnoCapture.errno());
        }
        try {
            bind(fd, ifindex, interfaceName);
            Libc.setsockopt(fd, libc_h.SOL_PACKET(), libc_h.PACKET_IGNORE_OUTGOING(), 1);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
        return new PacketSocket(fd, interfaceName);
    }

    /** The interface's index, as {@code if_nametoindex(3)} gives it. */
    public static int interfaceIndex(String interfaceName) {
        try (Arena call = Arena.ofConfined()) {
            int index = (int) IF_NAMETOINDEX.invokeExact(ErrnoCapture.state(), call.allocateFrom(interfaceName));
            if (index == 0) {
                throw new NativeCallException("if_nametoindex", interfaceName, ErrnoCapture.errno());
            }
            return index;
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("if_nametoindex: downcall failed", e);
        }
    }

    /** Waits up to {@code timeoutMillis} (0: not at all) for a received frame; true when one is there. */
    /** The socket's descriptor, to wait on together with others ({@link Libc#awaitAnyReadable}). */
    public int descriptor() {
        return fd;
    }

    public boolean awaitFrame(int timeoutMillis) {
        return Libc.awaitReadable(fd, timeoutMillis);
    }

    /**
     * Reads the next frame into {@code buffer}: its length, cut to the buffer's size, or 0 when no frame is
     * waiting. Call after {@link #awaitFrame} returned true, or it blocks until a frame arrives.
     */
    public int receive(MemorySegment buffer) {
        long n = Libc.read(fd, buffer);
        return n == Libc.WOULD_BLOCK ? 0 : (int) n;
    }

    /**
     * Sends one frame gathered from {@code pieces} in order (at most {@link #MAX_PIECES}; the kernel copies
     * them before this returns, so the caller may reuse or release them afterwards). Returns the frame's
     * length.
     */
    public long send(List<MemorySegment> pieces) {
        if (pieces.size() > MAX_PIECES) {
            throw new IllegalArgumentException(pieces.size() + " pieces, at most " + MAX_PIECES + " per frame");
        }
        for (int i = 0; i < pieces.size(); i++) {
            MemorySegment entry = iovec.asSlice(vector, i);
            iovec.iov_base(entry, pieces.get(i));
            iovec.iov_len(entry, pieces.get(i).byteSize());
        }
        msghdr.msg_name(message, MemorySegment.NULL);
        msghdr.msg_namelen(message, 0);
        msghdr.msg_iov(message, vector);
        msghdr.msg_iovlen(message, pieces.size());
        msghdr.msg_control(message, MemorySegment.NULL);
        msghdr.msg_controllen(message, 0);
        msghdr.msg_flags(message, 0);
        return Libc.sendmsg(fd, message, 0);
    }

    /** The interface this socket is bound to. */
    public String interfaceName() {
        return interfaceName;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }

    private static void bind(int fd, int ifindex, String interfaceName) {
        try (Arena call = Arena.ofConfined()) {
            // struct sockaddr_ll: family (u16, host order), protocol (be16), ifindex (i32), then hatype,
            // pkttype, halen and addr, which bind ignores.
            MemorySegment address = call.allocate(SOCKADDR_LL_BYTES, 4);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) libc_h.AF_PACKET());
            address.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 2, (short) libc_h.ETH_P_ALL());
            address.set(ValueLayout.JAVA_INT, 4, ifindex);
            int rc = (int) BIND.invokeExact(ErrnoCapture.state(), fd, address, (int) SOCKADDR_LL_BYTES);
            if (rc < 0) {
                throw new NativeCallException("bind", "fd=" + fd + ", AF_PACKET, ifindex=" + ifindex + " ("
                        + interfaceName + ")", ErrnoCapture.errno());
            }
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("bind: downcall failed", e);
        }
    }

    /** {@code htons}: the 16-bit value in network byte order, as the int the kernel reads it back from. */
    private static int networkOrder(int value) {
        short v = (short) value;
        return Short.toUnsignedInt(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN ? v : Short.reverseBytes(v));
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("the C library has no " + name));
    }
}
