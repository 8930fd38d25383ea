// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.hal.bindings.libc.iovec;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.bindings.libc.msghdr;

/** Every wrapper against the real kernel: real files, real pipes and socket pairs, the real pagemap. */
class LibcTest {

    private static final long PAGEMAP_PRESENT = 1L << 63;
    private static final long PAGEMAP_PFN_MASK = (1L << 55) - 1;

    @TempDir
    Path dir;

    private Path fileWith(byte[] content) throws IOException {
        Path file = dir.resolve("data.bin");
        Files.write(file, content);
        return file;
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @Test
    void aMappedFileIsLockedAdvisedAndUnlockedAndReadsBackItsContent() throws IOException {
        byte[] content = randomBytes((int) (4 * Libc.pageSize()), 1);
        int fd = Libc.open(fileWith(content).toString(), libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        try {
            MemorySegment mapping = Libc.mmap(content.length, libc_h.PROT_READ(), libc_h.MAP_SHARED(), fd, 0);
            try {
                Libc.madvise(mapping, libc_h.MADV_SEQUENTIAL());
                Libc.madvise(mapping, libc_h.MADV_WILLNEED());
                Libc.mlock(mapping);
                assertArrayEquals(content, mapping.toArray(ValueLayout.JAVA_BYTE));
                Libc.munlock(mapping);
            } finally {
                Libc.munmap(mapping);
            }
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void pagemapReportsALockedPageAsPresentWithItsFrameNumberWhenPrivileged() throws IOException {
        byte[] content = randomBytes((int) Libc.pageSize(), 2);
        int fd = Libc.open(fileWith(content).toString(), libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        int pagemap = Libc.open("/proc/self/pagemap", libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapping = Libc.mmap(content.length, libc_h.PROT_READ(), libc_h.MAP_SHARED(), fd, 0);
            try {
                Libc.mlock(mapping);
                MemorySegment entry = arena.allocate(ValueLayout.JAVA_LONG);
                long n = Libc.pread(pagemap, entry, mapping.address() / Libc.pageSize() * Long.BYTES);
                assertEquals(Long.BYTES, n);
                long bits = entry.get(ValueLayout.JAVA_LONG, 0);
                assertTrue((bits & PAGEMAP_PRESENT) != 0, () -> "locked page not present: 0x" + Long.toHexString(bits));
                if (isRoot()) {
                    assertNotEquals(0, bits & PAGEMAP_PFN_MASK, "root reads real frame numbers");
                }
            } finally {
                Libc.munmap(mapping);
            }
        } finally {
            Libc.close(pagemap);
            Libc.close(fd);
        }
    }

    @Test
    void spliceMovesFileBytesThroughAPipeIntoASocketPair() throws IOException {
        byte[] content = randomBytes(100_000, 3);
        int file = Libc.open(fileWith(content).toString(), libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        try (FdPair pipe = Libc.pipe2(libc_h.O_CLOEXEC());
                FdPair sockets = Libc.socketpair(libc_h.AF_UNIX(), libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC());
                Arena arena = Arena.ofConfined()) {
            int capacity = Libc.setPipeSize(pipe.second(), 1 << 20);
            assertTrue(capacity >= 1 << 20, "pipe capacity " + capacity);
            Libc.setsockopt(sockets.first(), libc_h.SOL_SOCKET(), libc_h.SO_SNDBUF(), 1 << 20);
            Libc.setsockopt(sockets.second(), libc_h.SOL_SOCKET(), libc_h.SO_RCVBUF(), 1 << 20);
            long moved = 0;
            for (int round = 0; moved < content.length && round < 1000; round++) {
                long in = Libc.splice(file, moved, pipe.second(), Libc.NO_OFFSET, content.length - moved, 0);
                long out = 0;
                while (out < in) {
                    out += Libc.splice(pipe.first(), Libc.NO_OFFSET, sockets.first(), Libc.NO_OFFSET, in - out, 0);
                }
                moved += in;
            }
            assertEquals(content.length, moved);
            assertArrayEquals(content, readExactly(sockets.second(), content.length, arena));
        } finally {
            Libc.close(file);
        }
    }

    @Test
    void sendfileSendsARangeOfTheFileWithoutMovingItsPosition() throws IOException {
        byte[] content = randomBytes(50_000, 4);
        int file = Libc.open(fileWith(content).toString(), libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        try (FdPair sockets = Libc.socketpair(libc_h.AF_UNIX(), libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC());
                Arena arena = Arena.ofConfined()) {
            long sent = 0;
            for (int round = 0; sent < 30_000 && round < 1000; round++) {
                sent += Libc.sendfile(sockets.first(), file, 1000 + sent, 30_000 - sent);
            }
            byte[] expected = java.util.Arrays.copyOfRange(content, 1000, 31_000);
            assertArrayEquals(expected, readExactly(sockets.second(), 30_000, arena));
            MemorySegment first = arena.allocate(16);
            assertEquals(16, Libc.read(file, first), "the file position is still 0");
            assertArrayEquals(java.util.Arrays.copyOf(content, 16), first.toArray(ValueLayout.JAVA_BYTE));
        } finally {
            Libc.close(file);
        }
    }

    @Test
    void sendmsgAndRecvmsgCarryAGatherListAndAnEmptyNonBlockingSocketWouldBlock() {
        try (FdPair sockets = Libc.socketpair(libc_h.AF_UNIX(),
                libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC() | libc_h.SOCK_NONBLOCK());
                Arena arena = Arena.ofConfined()) {
            MemorySegment head = arena.allocateFrom("head-");
            MemorySegment tail = arena.allocateFrom("tail");
            MemorySegment iov = iovec.allocateArray(2, arena);
            iovec.iov_base(iovec.asSlice(iov, 0), head);
            iovec.iov_len(iovec.asSlice(iov, 0), 5);
            iovec.iov_base(iovec.asSlice(iov, 1), tail);
            iovec.iov_len(iovec.asSlice(iov, 1), 4);
            MemorySegment message = msghdr.allocate(arena);
            msghdr.msg_iov(message, iov);
            msghdr.msg_iovlen(message, 2);
            assertEquals(9, Libc.sendmsg(sockets.first(), message, libc_h.MSG_NOSIGNAL()));

            MemorySegment into = arena.allocate(32);
            MemorySegment readIov = iovec.allocate(arena);
            iovec.iov_base(readIov, into);
            iovec.iov_len(readIov, into.byteSize());
            MemorySegment reply = msghdr.allocate(arena);
            msghdr.msg_iov(reply, readIov);
            msghdr.msg_iovlen(reply, 1);
            assertEquals(9, Libc.recvmsg(sockets.second(), reply, 0));
            assertEquals("head-tail", new String(into.asSlice(0, 9).toArray(ValueLayout.JAVA_BYTE)));
            assertEquals(Libc.WOULD_BLOCK, Libc.recvmsg(sockets.second(), reply, 0));
            assertEquals(Libc.WOULD_BLOCK, Libc.read(sockets.second(), into));
        }
    }

    @Test
    void aDuplicateReadsTheSameSocketAfterTheOriginalIsClosedAndIsCloseOnExec() {
        try (Arena arena = Arena.ofConfined()) {
            FdPair sockets = Libc.socketpair(libc_h.AF_UNIX(), libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC());
            int copy = Libc.duplicate(sockets.second());
            try {
                assertNotEquals(sockets.second(), copy);
                assertEquals(1, Libc.fcntl(copy, 1 /* F_GETFD */, 0) & 1 /* FD_CLOEXEC */);
                assertEquals(5, Libc.write(sockets.first(), arena.allocateFrom("hello").asSlice(0, 5)));
                Libc.close(sockets.second());
                MemorySegment into = arena.allocate(8);
                assertEquals(5, Libc.read(copy, into));
                assertEquals("hello", new String(into.asSlice(0, 5).toArray(ValueLayout.JAVA_BYTE)));
            } finally {
                Libc.close(copy);
                Libc.close(sockets.first());
            }
            assertEquals(Errno.EBADF, assertThrows(NativeCallException.class, () -> Libc.duplicate(-1)).errno().code());
        }
    }

    @Test
    void pollWaitsForReadabilityAndTimesOut() {
        try (FdPair sockets = Libc.socketpair(libc_h.AF_UNIX(), libc_h.SOCK_STREAM() | libc_h.SOCK_CLOEXEC());
                Arena arena = Arena.ofConfined()) {
            long start = System.nanoTime();
            assertEquals(0, Libc.poll(sockets.second(), libc_h.POLLIN(), 50), "nothing to read");
            assertTrue(System.nanoTime() - start >= 45_000_000L, "waited the timeout");
            assertEquals(1, Libc.write(sockets.first(), arena.allocate(1)));
            assertEquals(libc_h.POLLIN(), Libc.poll(sockets.second(), libc_h.POLLIN(), 1000));
        }
    }

    @Test
    void processVmReadvCopiesThisProcesssMemoryAndAShortCopyAtAnUnmappedPage() {
        long page = Libc.pageSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment source = arena.allocate(page, page);
            source.fill((byte) 0x5a);
            MemorySegment target = arena.allocate(page);
            MemorySegment local = iovec.allocate(arena);
            iovec.iov_base(local, target);
            iovec.iov_len(local, page);
            MemorySegment remote = iovec.allocate(arena);
            iovec.iov_base(remote, source);
            iovec.iov_len(remote, page);
            assertEquals(page, Libc.processVmReadv(libc_h.getpid(), local, 1, remote, 1));
            assertEquals(-1L, target.mismatch(source));

            iovec.iov_base(remote, MemorySegment.ofAddress(page)); // page 1 is never mapped
            NativeCallException fault = assertThrows(NativeCallException.class,
                    () -> Libc.processVmReadv(libc_h.getpid(), local, 1, remote, 1));
            assertEquals(Errno.EFAULT, fault.errno().code());
        }
    }

    @Test
    void aBadDescriptorThrowsAnExceptionNamingTheCallItsArgumentsAndTheError() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(8);
            NativeCallException e = assertThrows(NativeCallException.class, () -> Libc.pread(-1, buffer, 0));
            assertEquals("pread", e.call());
            assertEquals(Errno.EBADF, e.errno().code());
            assertEquals("pread(fd=-1, count=8, offset=0) failed: EBADF (Bad file descriptor)", e.getMessage());
        }
        NativeCallException close = assertThrows(NativeCallException.class, () -> Libc.close(-1));
        assertEquals("close(fd=-1) failed: EBADF (Bad file descriptor)", close.getMessage());
    }

    @Test
    void invalidAdviceIsEinvalNamingMadvise() {
        MemorySegment mapping = Libc.mmap(Libc.pageSize(), libc_h.PROT_READ(), libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS(),
                -1, 0);
        try {
            NativeCallException e = assertThrows(NativeCallException.class, () -> Libc.madvise(mapping, 12345));
            assertEquals(Errno.EINVAL, e.errno().code());
            assertTrue(e.getMessage().startsWith("madvise(address=0x"), e.getMessage());
        } finally {
            Libc.munmap(mapping);
        }
    }

    @Test
    void lockingMoreThanTheMemlockLimitFailsWithEnomemForAnUnprivilegedUser() {
        assumeTrue(!isRoot(), "running as root: CAP_IPC_LOCK ignores RLIMIT_MEMLOCK, so the limit cannot be hit");
        ResourceLimit limit = Libc.getrlimit(libc_h.RLIMIT_MEMLOCK());
        assumeTrue(!limit.softUnlimited() && limit.soft() < (1L << 30), "RLIMIT_MEMLOCK is " + limit);
        long length = (limit.soft() / Libc.pageSize() + 2) * Libc.pageSize();
        MemorySegment mapping = Libc.mmap(length, libc_h.PROT_READ(), libc_h.MAP_PRIVATE() | libc_h.MAP_ANONYMOUS(), -1, 0);
        try {
            NativeCallException e = assertThrows(NativeCallException.class, () -> Libc.mlock(mapping));
            assertEquals("mlock", e.call());
            assertTrue(e.errno().code() == Errno.ENOMEM || e.errno().code() == Errno.EPERM, e.getMessage());
        } finally {
            Libc.munmap(mapping);
        }
    }

    @Test
    void resourceLimitsAndSysconfComeFromTheKernel() {
        ResourceLimit memlock = Libc.getrlimit(libc_h.RLIMIT_MEMLOCK());
        assertTrue(memlock.softUnlimited() || memlock.soft() <= memlock.hard() || memlock.hard() == ResourceLimit.UNLIMITED);
        assertTrue(Libc.pageSize() >= 4096 && Long.bitCount(Libc.pageSize()) == 1);
        assertEquals(Runtime.getRuntime().availableProcessors() > 0, Libc.sysconf(libc_h._SC_NPROCESSORS_ONLN()) > 0);
        assertEquals("ENOMEM", new Errno(Errno.ENOMEM).symbol());
    }

    private static byte[] readExactly(int fd, int length, Arena arena) {
        MemorySegment buffer = arena.allocate(length);
        long got = 0;
        for (int round = 0; got < length && round < 10_000; round++) {
            long n = Libc.read(fd, buffer.asSlice(got));
            assertTrue(n > 0, "stream ended after " + got + " bytes");
            got += n;
        }
        return buffer.toArray(ValueLayout.JAVA_BYTE);
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void fsyncOfAClosedDescriptorFailsWithEbadfAndTheNumberIsFoundThroughWrappingExceptions() throws IOException {
        int fd = Libc.open(fileWith(randomBytes(16, 3)).toString(), libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        Libc.fsync(fd);
        Libc.close(fd);
        NativeCallException e = assertThrows(NativeCallException.class, () -> Libc.fsync(fd));
        assertEquals("fsync", e.call());
        IOException wrapped = new IOException("cannot fsync the upload", e);
        assertEquals(Optional.of(new Errno(Errno.EBADF)), Errno.of(wrapped));
        assertFalse(Errno.of(wrapped).get().isNoSpace());
        assertEquals(Optional.empty(), Errno.of(new IOException("no native call below")));
    }

    @Test
    void enospcAndEdquotAreTheNoSpaceErrors() {
        assertTrue(new Errno(Errno.ENOSPC).isNoSpace());
        assertTrue(new Errno(Errno.EDQUOT).isNoSpace());
        assertEquals("EDQUOT", new Errno(Errno.EDQUOT).symbol());
        assertFalse(new Errno(Errno.EIO).isNoSpace());
    }
}
