// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

/**
 * A connected socket seen by its kernel descriptor, the target of the engines that work on descriptors
 * ({@code splice}, {@code zerocopy}). It is also a plain {@link ByteChannel} (write(2),
 * read(2)), so every engine can write to it. It does not own the descriptor: whoever opened the socket
 * closes it (Netty, or the {@link SocketChannel} it was found for).
 *
 * <p>Netty hands its epoll channel's descriptor to {@link #of(int)}. A JDK {@link SocketChannel} does not
 * expose its descriptor, so {@link #of(SocketChannel)} finds it through /proc: the connection's inode in
 * {@code /proc/self/net/tcp[6]}, then the descriptor in {@code /proc/self/fd} linking to that inode.
 */
public final class SocketDescriptor implements ByteChannel {

    private final int fd;
    private volatile boolean open = true;

    private SocketDescriptor(int fd) {
        this.fd = fd;
    }

    /** The socket with descriptor {@code fd} (not owned). */
    public static SocketDescriptor of(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("descriptor " + fd + " is negative");
        }
        return new SocketDescriptor(fd);
    }

    /** The descriptor of a connected JDK socket channel, found through /proc. */
    public static SocketDescriptor of(SocketChannel channel) throws IOException {
        if (!(channel.getLocalAddress() instanceof InetSocketAddress local)
                || !(channel.getRemoteAddress() instanceof InetSocketAddress remote)) {
            throw new IOException(channel + " is not a connected TCP socket");
        }
        String ports = String.format(":%04X", local.getPort());
        String remotePort = String.format(":%04X", remote.getPort());
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(ports) && f[2].endsWith(remotePort)) {
                    return new SocketDescriptor(descriptorOfInode(f[9], channel));
                }
            }
        }
        throw new IOException("no TCP connection " + local + " -> " + remote + " in /proc/self/net/tcp[6]");
    }

    private static int descriptorOfInode(String inode, SocketChannel channel) throws IOException {
        String link = "socket:[" + inode + "]";
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(link)) {
                        return Integer.parseInt(fd.getFileName().toString());
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // another thread closed that descriptor while we looked
                }
            }
        }
        throw new IOException("no descriptor of this process links to " + link + " (" + channel + ")");
    }

    public int fd() {
        return fd;
    }

    /** write(2) from {@code source}; 0 when a non-blocking socket's buffer is full. */
    @Override
    public int write(ByteBuffer source) throws IOException {
        ensureOpen();
        int length = source.remaining();
        long written;
        try {
            if (source.isDirect()) {
                written = Libc.write(fd, MemorySegment.ofBuffer(source));
            } else {
                try (Arena call = Arena.ofConfined()) {
                    MemorySegment copy = call.allocate(length);
                    MemorySegment.copy(MemorySegment.ofBuffer(source), 0, copy, 0, length);
                    written = Libc.write(fd, copy);
                }
            }
        } catch (NativeCallException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (written == Libc.WOULD_BLOCK) {
            return 0;
        }
        source.position(source.position() + (int) written);
        return (int) written;
    }

    /** read(2) into {@code target}; -1 at end of stream, 0 when a non-blocking socket has nothing. */
    @Override
    public int read(ByteBuffer target) throws IOException {
        ensureOpen();
        long read;
        try {
            if (target.isDirect()) {
                read = Libc.read(fd, MemorySegment.ofBuffer(target));
            } else {
                try (Arena call = Arena.ofConfined()) {
                    MemorySegment into = call.allocate(target.remaining());
                    read = Libc.read(fd, into);
                    if (read > 0) {
                        MemorySegment.copy(into, 0, MemorySegment.ofBuffer(target), 0, read);
                    }
                }
            }
        } catch (NativeCallException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (read == Libc.WOULD_BLOCK) {
            return 0;
        }
        if (read == 0) {
            return -1;
        }
        target.position(target.position() + (int) read);
        return (int) read;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** Stops using the descriptor; the socket itself stays open (its owner closes it). */
    @Override
    public void close() {
        open = false;
    }

    @Override
    public String toString() {
        return "socket fd " + fd;
    }
}
