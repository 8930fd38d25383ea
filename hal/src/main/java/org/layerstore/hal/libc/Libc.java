// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.pollfd;
import org.layerstore.hal.bindings.libc.rlimit;

/**
 * The C library calls the HAL and the datapath make, over the jextract bindings in
 * {@code org.layerstore.hal.bindings.libc}, with errno captured at the call.
 *
 * <p>Failures throw {@link NativeCallException} naming the call and its arguments. Calls that a
 * non-blocking descriptor can make wait ({@code read}, {@code write}, {@code sendfile}, {@code splice},
 * {@code sendmsg}, {@code recvmsg}) return {@link #WOULD_BLOCK} on EAGAIN instead: that is flow control,
 * not an error. Calls interrupted by a signal (EINTR) are restarted, except {@code close}, which Linux
 * completes even when interrupted.
 *
 * <p>Constants (flags, advice, socket options, errno values) are the generated ones:
 * {@code libc_h.MSG_ZEROCOPY()}, {@code libc_h.MADV_SEQUENTIAL()} and so on; {@link Errno} names the
 * errno values.
 *
 * <p>Memory: segments passed in belong to the caller. {@link #mmap} returns a segment not owned by any
 * arena: the mapping lives until {@link #munmap}. Out-parameters use a per-thread scratch segment
 * (see {@link ErrnoCapture}); {@link #open} allocates its path in a confined arena closed on return.
 */
public final class Libc {

    /** Returned by the calls that can block when the descriptor is non-blocking and they would have. */
    public static final long WOULD_BLOCK = -1;

    /** For {@link #splice}: the descriptor has no offset (a pipe or a socket) or uses its file position. */
    public static final long NO_OFFSET = -1;

    private static final MethodHandle MMAP = ErrnoCapture.link(libc_h.mmap$address(), libc_h.mmap$descriptor());
    private static final MethodHandle MUNMAP = ErrnoCapture.link(libc_h.munmap$address(), libc_h.munmap$descriptor());
    private static final MethodHandle MLOCK = ErrnoCapture.link(libc_h.mlock$address(), libc_h.mlock$descriptor());
    private static final MethodHandle MUNLOCK = ErrnoCapture.link(libc_h.munlock$address(), libc_h.munlock$descriptor());
    private static final MethodHandle MADVISE = ErrnoCapture.link(libc_h.madvise$address(), libc_h.madvise$descriptor());
    private static final MethodHandle PREAD = ErrnoCapture.link(libc_h.pread$address(), libc_h.pread$descriptor());
    private static final MethodHandle READ = ErrnoCapture.link(libc_h.read$address(), libc_h.read$descriptor());
    private static final MethodHandle WRITE = ErrnoCapture.link(libc_h.write$address(), libc_h.write$descriptor());
    private static final MethodHandle FSYNC = ErrnoCapture.link(libc_h.fsync$address(), libc_h.fsync$descriptor());
    private static final MethodHandle CLOSE = ErrnoCapture.link(libc_h.close$address(), libc_h.close$descriptor());
    private static final MethodHandle SENDFILE = ErrnoCapture.link(libc_h.sendfile$address(), libc_h.sendfile$descriptor());
    private static final MethodHandle SPLICE = ErrnoCapture.link(libc_h.splice$address(), libc_h.splice$descriptor());
    private static final MethodHandle PIPE2 = ErrnoCapture.link(libc_h.pipe2$address(), libc_h.pipe2$descriptor());
    private static final MethodHandle SOCKETPAIR = ErrnoCapture.link(libc_h.socketpair$address(),
            libc_h.socketpair$descriptor());
    private static final MethodHandle SENDMSG = ErrnoCapture.link(libc_h.sendmsg$address(), libc_h.sendmsg$descriptor());
    private static final MethodHandle RECVMSG = ErrnoCapture.link(libc_h.recvmsg$address(), libc_h.recvmsg$descriptor());
    private static final MethodHandle SETSOCKOPT = ErrnoCapture.link(libc_h.setsockopt$address(),
            libc_h.setsockopt$descriptor());
    private static final MethodHandle GETSOCKOPT = ErrnoCapture.link(libc_h.getsockopt$address(),
            libc_h.getsockopt$descriptor());
    private static final MethodHandle PROCESS_VM_READV = ErrnoCapture.link(libc_h.process_vm_readv$address(),
            libc_h.process_vm_readv$descriptor());
    private static final MethodHandle SYSCONF = ErrnoCapture.link(libc_h.sysconf$address(), libc_h.sysconf$descriptor());
    private static final MethodHandle GETRLIMIT = ErrnoCapture.link(libc_h.getrlimit$address(),
            libc_h.getrlimit$descriptor());
    private static final MethodHandle POLL = ErrnoCapture.link(libc_h.poll$address(), libc_h.poll$descriptor());
    // fcntl and open are variadic: linked for one int after the fixed arguments (the fcntl argument, the mode).
    private static final MethodHandle FCNTL_INT = ErrnoCapture.link(libc_h.fcntl.address(),
            libc_h.fcntl.makeInvoker(libc_h.C_INT).descriptor(), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle OPEN_MODE = ErrnoCapture.link(libc_h.open.address(),
            libc_h.open.makeInvoker(libc_h.C_INT).descriptor(), Linker.Option.firstVariadicArg(2));

    private static final long PAGE_SIZE = sysconf(libc_h._SC_PAGESIZE());

    private Libc() {
    }

    /** The kernel's page size. */
    public static long pageSize() {
        return PAGE_SIZE;
    }

    /** {@code sysconf(name)}; -1 means the limit is indeterminate (errno unchanged), as in C. */
    public static long sysconf(int name) {
        try {
            return (long) SYSCONF.invokeExact(ErrnoCapture.state(), name);
        } catch (Throwable e) {
            throw unexpected("sysconf", e);
        }
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset} anywhere in the address space. The
     * segment belongs to no arena: it stays mapped until {@link #munmap} is called with it.
     */
    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        MemorySegment address;
        try {
            address = (MemorySegment) MMAP.invokeExact(ErrnoCapture.state(), MemorySegment.NULL, length, prot, flags, fd,
                    offset);
        } catch (Throwable e) {
            throw unexpected("mmap", e);
        }
        if (address.address() == libc_h.MAP_FAILED().address()) {
            throw failure("mmap", "length=" + length + ", prot=0x" + Integer.toHexString(prot) + ", flags=0x"
                    + Integer.toHexString(flags) + ", fd=" + fd + ", offset=" + offset);
        }
        return address.reinterpret(length);
    }

    /** Unmaps a segment returned by {@link #mmap} (or any page-aligned range). */
    public static void munmap(MemorySegment mapping) {
        rangeCall(MUNMAP, "munmap", mapping);
    }

    /** Pins the pages of {@code range} in memory (they are faulted in first). */
    public static void mlock(MemorySegment range) {
        rangeCall(MLOCK, "mlock", range);
    }

    /** Unpins the pages of {@code range}. */
    public static void munlock(MemorySegment range) {
        rangeCall(MUNLOCK, "munlock", range);
    }

    /** Gives the kernel {@code advice} ({@code libc_h.MADV_*()}) about a page-aligned range. */
    public static void madvise(MemorySegment range, int advice) {
        int rc;
        try {
            rc = (int) MADVISE.invokeExact(ErrnoCapture.state(), range, range.byteSize(), advice);
        } catch (Throwable e) {
            throw unexpected("madvise", e);
        }
        if (rc < 0) {
            throw failure("madvise", describe(range) + ", advice=" + advice);
        }
    }

    /** Reads up to {@code buffer.byteSize()} bytes at {@code offset} of {@code fd}; 0 at end of file. */
    public static long pread(int fd, MemorySegment buffer, long offset) {
        while (true) {
            long n;
            try {
                n = (long) PREAD.invokeExact(ErrnoCapture.state(), fd, buffer, buffer.byteSize(), offset);
            } catch (Throwable e) {
                throw unexpected("pread", e);
            }
            if (n >= 0) {
                return n;
            }
            Errno errno = ErrnoCapture.errno();
            if (errno.code() != Errno.EINTR) {
                throw new NativeCallException("pread", "fd=" + fd + ", count=" + buffer.byteSize() + ", offset=" + offset,
                        errno);
            }
        }
    }

    /** Reads into {@code buffer}: the count (0 at end of stream) or {@link #WOULD_BLOCK}. */
    public static long read(int fd, MemorySegment buffer) {
        while (true) {
            long n;
            try {
                n = (long) READ.invokeExact(ErrnoCapture.state(), fd, buffer, buffer.byteSize());
            } catch (Throwable e) {
                throw unexpected("read", e);
            }
            if (n >= 0 || !retry("read", "fd=" + fd + ", count=" + buffer.byteSize())) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /** Writes {@code buffer}: the count written or {@link #WOULD_BLOCK}. */
    public static long write(int fd, MemorySegment buffer) {
        while (true) {
            long n;
            try {
                n = (long) WRITE.invokeExact(ErrnoCapture.state(), fd, buffer, buffer.byteSize());
            } catch (Throwable e) {
                throw unexpected("write", e);
            }
            if (n >= 0 || !retry("write", "fd=" + fd + ", count=" + buffer.byteSize())) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /**
     * Sends up to {@code count} bytes of file {@code inFd} from {@code offset} to {@code outFd} (the file
     * position of {@code inFd} is not used or changed): the count sent or {@link #WOULD_BLOCK}.
     */
    public static long sendfile(int outFd, int inFd, long offset, long count) {
        MemorySegment offsetRef = ErrnoCapture.scratch();
        while (true) {
            offsetRef.set(ValueLayout.JAVA_LONG, 0, offset);
            long n;
            try {
                n = (long) SENDFILE.invokeExact(ErrnoCapture.state(), outFd, inFd, offsetRef, count);
            } catch (Throwable e) {
                throw unexpected("sendfile", e);
            }
            if (n >= 0 || !retry("sendfile", "outFd=" + outFd + ", inFd=" + inFd + ", offset=" + offset + ", count="
                    + count)) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /**
     * Moves up to {@code length} bytes from {@code inFd} to {@code outFd}, one of which is a pipe. An
     * offset of {@link #NO_OFFSET} means none (pipes, sockets); otherwise the file is read or written at
     * that offset and its file position is left alone. Returns the count moved (0 at end of input) or
     * {@link #WOULD_BLOCK}.
     */
    public static long splice(int inFd, long inOffset, int outFd, long outOffset, long length, int flags) {
        MemorySegment scratch = ErrnoCapture.scratch();
        while (true) {
            MemorySegment inRef = offsetRef(scratch, 0, inOffset);
            MemorySegment outRef = offsetRef(scratch, 8, outOffset);
            long n;
            try {
                n = (long) SPLICE.invokeExact(ErrnoCapture.state(), inFd, inRef, outFd, outRef, length, flags);
            } catch (Throwable e) {
                throw unexpected("splice", e);
            }
            if (n >= 0 || !retry("splice", "inFd=" + inFd + ", inOffset=" + inOffset + ", outFd=" + outFd
                    + ", outOffset=" + outOffset + ", length=" + length + ", flags=0x" + Integer.toHexString(flags))) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /** A new non-blocking, close-on-exec pipe: {@code first} is the read end, {@code second} the write end. */
    public static FdPair nonBlockingPipe() {
        return pipe2(libc_h.O_CLOEXEC() | libc_h.O_NONBLOCK());
    }

    /** A new pipe: {@code first} is the read end, {@code second} the write end. */
    public static FdPair pipe2(int flags) {
        MemorySegment fds = ErrnoCapture.scratch();
        int rc;
        try {
            rc = (int) PIPE2.invokeExact(ErrnoCapture.state(), fds, flags);
        } catch (Throwable e) {
            throw unexpected("pipe2", e);
        }
        if (rc < 0) {
            throw failure("pipe2", "flags=0x" + Integer.toHexString(flags));
        }
        return new FdPair(fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4));
    }

    /** A connected pair of close-on-exec AF_UNIX stream sockets. */
    public static FdPair unixStreamPair() {
        return socketpair(libc_h.AF_UNIX(), libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC());
    }

    /** A connected pair of sockets ({@code libc_h.AF_UNIX()}, {@code libc_h.SOCK_STREAM()} ...). */
    public static FdPair socketpair(int domain, int type) {
        MemorySegment fds = ErrnoCapture.scratch();
        int rc;
        try {
            rc = (int) SOCKETPAIR.invokeExact(ErrnoCapture.state(), domain, type, 0, fds);
        } catch (Throwable e) {
            throw unexpected("socketpair", e);
        }
        if (rc < 0) {
            throw failure("socketpair", "domain=" + domain + ", type=0x" + Integer.toHexString(type));
        }
        return new FdPair(fds.get(ValueLayout.JAVA_INT, 0), fds.get(ValueLayout.JAVA_INT, 4));
    }

    /** {@code fcntl(fd, cmd, arg)} for the commands that take an int; returns the call's result. */
    public static int fcntl(int fd, int cmd, int arg) {
        int rc;
        try {
            rc = (int) FCNTL_INT.invokeExact(ErrnoCapture.state(), fd, cmd, arg);
        } catch (Throwable e) {
            throw unexpected("fcntl", e);
        }
        if (rc < 0) {
            throw failure("fcntl", "fd=" + fd + ", cmd=" + cmd + ", arg=" + arg);
        }
        return rc;
    }

    /**
     * A second descriptor for {@code fd}'s open file (close-on-exec), valid until closed with {@link #close}
     * however the first is closed meanwhile.
     */
    public static int duplicate(int fd) {
        return fcntl(fd, libc_h.F_DUPFD_CLOEXEC(), 0);
    }

    /** A pipe's capacity in bytes (F_GETPIPE_SZ). */
    public static int pipeSize(int pipeFd) {
        return fcntl(pipeFd, libc_h.F_GETPIPE_SZ(), 0);
    }

    /** Sets a pipe's capacity (F_SETPIPE_SZ) and returns the capacity the kernel chose (at least {@code bytes}). */
    public static int setPipeSize(int pipeFd, int bytes) {
        return fcntl(pipeFd, libc_h.F_SETPIPE_SZ(), bytes);
    }

    /** Opens {@code path} with {@code flags} (mode 0600 when creating); returns the descriptor. */
    public static int open(String path, int flags) {
        return open(path, flags, 0600);
    }

    /** Opens {@code path} with {@code flags}; {@code mode} (less the umask) is a created file's; returns the descriptor. */
    public static int open(String path, int flags, int mode) {
        int fd;
        try (Arena call = Arena.ofConfined()) {
            fd = (int) OPEN_MODE.invokeExact(ErrnoCapture.state(), call.allocateFrom(path), flags, mode);
        } catch (Throwable e) {
            throw unexpected("open", e);
        }
        if (fd < 0) {
            throw failure("open", "path=" + path + ", flags=0x" + Integer.toHexString(flags));
        }
        return fd;
    }

    /**
     * Flushes {@code fd}'s data and metadata to the device. A full disk can first show here (ENOSPC, EDQUOT:
     * a filesystem that allocates blocks only at writeback), so callers read the errno, not the message.
     */
    public static void fsync(int fd) {
        while (true) {
            int rc;
            try {
                rc = (int) FSYNC.invokeExact(ErrnoCapture.state(), fd);
            } catch (Throwable e) {
                throw unexpected("fsync", e);
            }
            if (rc == 0) {
                return;
            }
            if (ErrnoCapture.errno().code() != Errno.EINTR) {
                throw failure("fsync", "fd=" + fd);
            }
        }
    }

    /** Closes {@code fd}. EINTR counts as closed (Linux releases the descriptor before it can be interrupted). */
    public static void close(int fd) {
        int rc;
        try {
            rc = (int) CLOSE.invokeExact(ErrnoCapture.state(), fd);
        } catch (Throwable e) {
            throw unexpected("close", e);
        }
        if (rc < 0 && ErrnoCapture.errno().code() != Errno.EINTR) {
            throw failure("close", "fd=" + fd);
        }
    }

    /** Sends the message described by {@code msghdr} (a {@code struct msghdr}): the count or {@link #WOULD_BLOCK}. */
    public static long sendmsg(int fd, MemorySegment msghdr, int flags) {
        while (true) {
            long n;
            try {
                n = (long) SENDMSG.invokeExact(ErrnoCapture.state(), fd, msghdr, flags);
            } catch (Throwable e) {
                throw unexpected("sendmsg", e);
            }
            if (n >= 0 || !retry("sendmsg", "fd=" + fd + ", flags=0x" + Integer.toHexString(flags))) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /**
     * Receives into the buffers of {@code msghdr}: the count or {@link #WOULD_BLOCK} (also what an empty
     * error queue answers to {@code MSG_ERRQUEUE}).
     */
    public static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        while (true) {
            long n;
            try {
                n = (long) RECVMSG.invokeExact(ErrnoCapture.state(), fd, msghdr, flags);
            } catch (Throwable e) {
                throw unexpected("recvmsg", e);
            }
            if (n >= 0 || !retry("recvmsg", "fd=" + fd + ", flags=0x" + Integer.toHexString(flags))) {
                return n >= 0 ? n : WOULD_BLOCK;
            }
        }
    }

    /** Sets an int socket option, e.g. {@code (SOL_SOCKET, SO_ZEROCOPY, 1)}. */
    public static void setsockopt(int fd, int level, int name, int value) {
        MemorySegment optval = ErrnoCapture.scratch();
        optval.set(ValueLayout.JAVA_INT, 0, value);
        int rc;
        try {
            rc = (int) SETSOCKOPT.invokeExact(ErrnoCapture.state(), fd, level, name, optval, Integer.BYTES);
        } catch (Throwable e) {
            throw unexpected("setsockopt", e);
        }
        if (rc < 0) {
            throw failure("setsockopt", "fd=" + fd + ", level=" + level + ", name=" + name + ", value=" + value);
        }
    }

    /** Reads an int socket option. */
    public static int getsockoptInt(int fd, int level, int name) {
        MemorySegment scratch = ErrnoCapture.scratch();
        MemorySegment optval = scratch.asSlice(0, Integer.BYTES);
        MemorySegment optlen = scratch.asSlice(8, Integer.BYTES);
        optlen.set(ValueLayout.JAVA_INT, 0, Integer.BYTES);
        int rc;
        try {
            rc = (int) GETSOCKOPT.invokeExact(ErrnoCapture.state(), fd, level, name, optval, optlen);
        } catch (Throwable e) {
            throw unexpected("getsockopt", e);
        }
        if (rc < 0) {
            throw failure("getsockopt", "fd=" + fd + ", level=" + level + ", name=" + name);
        }
        return optval.get(ValueLayout.JAVA_INT, 0);
    }

    /**
     * Copies from process {@code pid}'s memory described by {@code remoteCount} {@code struct iovec}s at
     * {@code remote} into {@code localCount} iovecs at {@code local}; returns the bytes copied, which is
     * short when a remote page is not mapped (EFAULT is reported only when nothing could be copied).
     */
    public static long processVmReadv(int pid, MemorySegment local, int localCount, MemorySegment remote,
            int remoteCount) {
        long n;
        try {
            n = (long) PROCESS_VM_READV.invokeExact(ErrnoCapture.state(), pid, local, (long) localCount, remote,
                    (long) remoteCount, 0L);
        } catch (Throwable e) {
            throw unexpected("process_vm_readv", e);
        }
        if (n < 0) {
            throw failure("process_vm_readv", "pid=" + pid + ", localCount=" + localCount + ", remoteCount="
                    + remoteCount);
        }
        return n;
    }

    /** The soft and hard limit of {@code resource} ({@code libc_h.RLIMIT_MEMLOCK()} ...). */
    public static ResourceLimit getrlimit(int resource) {
        MemorySegment limit = ErrnoCapture.scratch().asSlice(0, rlimit.layout().byteSize());
        int rc;
        try {
            rc = (int) GETRLIMIT.invokeExact(ErrnoCapture.state(), resource, limit);
        } catch (Throwable e) {
            throw unexpected("getrlimit", e);
        }
        if (rc < 0) {
            throw failure("getrlimit", "resource=" + resource);
        }
        return new ResourceLimit(rlimit.rlim_cur(limit), rlimit.rlim_max(limit));
    }

    /** Waits up to {@code timeoutMillis} (as {@link #poll}) until {@code fd} is readable; true when it is. */
    public static boolean awaitReadable(int fd, int timeoutMillis) {
        return (poll(fd, libc_h.POLLIN(), timeoutMillis) & libc_h.POLLIN()) != 0;
    }

    /** The most descriptors {@link #awaitAnyReadable} watches in one call (its pollfd array lives in the scratch space). */
    public static final int MAX_AWAITED = (int) (ErrnoCapture.SCRATCH_BYTES / 8);

    /**
     * Waits up to {@code timeoutMillis} (0: not at all, -1: without limit) until one of the first {@code count}
     * descriptors of {@code fds} is readable (or has an error or hang-up); returns a bit mask of those that are
     * (bit i for {@code fds[i]}), 0 when the time passed first. EINTR restarts the wait with the full timeout.
     */
    public static int awaitAnyReadable(int[] fds, int count, int timeoutMillis) {
        if (count < 1 || count > MAX_AWAITED || count > fds.length) {
            throw new IllegalArgumentException("1 to " + MAX_AWAITED + " descriptors, not " + count);
        }
        long entryBytes = pollfd.layout().byteSize();
        MemorySegment entries = ErrnoCapture.scratch().asSlice(0, entryBytes * count);
        while (true) {
            for (int i = 0; i < count; i++) {
                MemorySegment entry = entries.asSlice(i * entryBytes, entryBytes);
                pollfd.fd(entry, fds[i]);
                pollfd.events(entry, (short) libc_h.POLLIN());
                pollfd.revents(entry, (short) 0);
            }
            int rc;
            try {
                rc = (int) POLL.invokeExact(ErrnoCapture.state(), entries, (long) count, timeoutMillis);
            } catch (Throwable e) {
                throw unexpected("poll", e);
            }
            if (rc >= 0) {
                int ready = 0;
                for (int i = 0; rc > 0 && i < count; i++) {
                    if (pollfd.revents(entries.asSlice(i * entryBytes, entryBytes)) != 0) {
                        ready |= 1 << i;
                    }
                }
                return ready;
            }
            if (ErrnoCapture.errno().code() != Errno.EINTR) {
                throw failure("poll", "fds=" + Arrays.toString(Arrays.copyOf(fds, count))
                        + ", timeoutMillis=" + timeoutMillis);
            }
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (0: not at all, -1: without limit) until {@code fd} has one of
     * {@code events} ({@code libc_h.POLLIN()} ...); returns the events it has ({@code revents}, error and
     * hang-up bits included), 0 when the time passed first. EINTR restarts the wait with the full timeout.
     */
    public static int poll(int fd, int events, int timeoutMillis) {
        MemorySegment entry = ErrnoCapture.scratch().asSlice(0, pollfd.layout().byteSize());
        while (true) {
            pollfd.fd(entry, fd);
            pollfd.events(entry, (short) events);
            pollfd.revents(entry, (short) 0);
            int rc;
            try {
                rc = (int) POLL.invokeExact(ErrnoCapture.state(), entry, 1L, timeoutMillis);
            } catch (Throwable e) {
                throw unexpected("poll", e);
            }
            if (rc >= 0) {
                return rc == 0 ? 0 : Short.toUnsignedInt(pollfd.revents(entry));
            }
            if (ErrnoCapture.errno().code() != Errno.EINTR) {
                throw failure("poll", "fd=" + fd + ", events=0x" + Integer.toHexString(events) + ", timeoutMillis="
                        + timeoutMillis);
            }
        }
    }

    private static MemorySegment offsetRef(MemorySegment scratch, long at, long offset) {
        if (offset == NO_OFFSET) {
            return MemorySegment.NULL;
        }
        MemorySegment ref = scratch.asSlice(at, Long.BYTES);
        ref.set(ValueLayout.JAVA_LONG, 0, offset);
        return ref;
    }

    /** After a failed call that may block: true to restart (EINTR), false for EAGAIN; throws otherwise. */
    private static boolean retry(String call, String arguments) {
        Errno errno = ErrnoCapture.errno();
        if (errno.code() == Errno.EINTR) {
            return true;
        }
        if (errno.isWouldBlock()) {
            return false;
        }
        throw new NativeCallException(call, arguments, errno);
    }

    /** Calls one of the functions taking {@code (void *addr, size_t len)} and returning 0 or -1. */
    private static void rangeCall(MethodHandle handle, String call, MemorySegment range) {
        int rc;
        try {
            rc = (int) handle.invokeExact(ErrnoCapture.state(), range, range.byteSize());
        } catch (Throwable e) {
            throw unexpected(call, e);
        }
        if (rc < 0) {
            throw failure(call, describe(range));
        }
    }

    private static String describe(MemorySegment range) {
        return "address=0x" + Long.toHexString(range.address()) + ", length=" + range.byteSize();
    }

    private static NativeCallException failure(String call, String arguments) {
        return new NativeCallException(call, arguments, ErrnoCapture.errno());
    }

    private static IllegalStateException unexpected(String call, Throwable e) {
        // invokeExact only throws for a linkage mismatch, which the generated descriptors rule out.
        return new IllegalStateException(call + ": downcall failed", e);
    }
}
