package org.layerstore.datapath;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

/**
 * A file the datapath sends from or receives into, open both as a kernel descriptor (for sendfile,
 * splice and MSG_ZEROCOPY, which take descriptors) and as a {@link FileChannel} (for mapping and the
 * JDK paths). The channel is opened through {@code /proc/self/fd/<fd>}, which reaches the very inode the
 * descriptor has open even if the path was renamed or replaced meanwhile, so both always name one file.
 */
public final class OpenFile implements AutoCloseable {

    private final Path path;
    private final int fd;
    private final FileChannel channel;
    private boolean closed;

    private OpenFile(Path path, int fd, FileChannel channel) {
        this.path = path;
        this.fd = fd;
        this.channel = channel;
    }

    /** Opens {@code path} for reading. */
    public static OpenFile read(Path path) throws IOException {
        return open(path, libc_h.O_RDONLY(), StandardOpenOption.READ);
    }

    /** Opens {@code path} for writing, creating it (mode 0600) when it does not exist; never truncates. */
    public static OpenFile write(Path path) throws IOException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException exists) {
            // writing into an existing file (a resumed or ranged upload) is allowed
        }
        return open(path, libc_h.O_RDWR(), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static OpenFile open(Path path, int flags, StandardOpenOption... options) throws IOException {
        int fd;
        try {
            fd = Libc.open(path.toString(), flags | libc_h.O_CLOEXEC());
        } catch (NativeCallException e) {
            throw new IOException("cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            return new OpenFile(path, fd, FileChannel.open(Path.of("/proc/self/fd/" + fd), options));
        } catch (IOException | RuntimeException e) {
            Libc.close(fd);
            throw new IOException("cannot open a channel on " + path + " through /proc/self/fd/" + fd + ": " + e, e);
        }
    }

    public Path path() {
        return path;
    }

    /** The kernel descriptor; owned by this object, valid until {@link #close()}. */
    public int fd() {
        return fd;
    }

    /** The channel on the same open file; owned by this object. */
    public FileChannel channel() {
        return channel;
    }

    /** The file's size now. */
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            channel.close();
        } finally {
            Libc.close(fd);
        }
    }

    @Override
    public String toString() {
        return path + " (fd " + fd + ")";
    }
}
