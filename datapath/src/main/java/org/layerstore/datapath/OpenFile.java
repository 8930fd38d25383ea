// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.layerstore.hal.libc.FileStatus;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;

/**
 * A file the datapath sends from or receives into, open as a kernel descriptor (for sendfile, splice
 * and MSG_ZEROCOPY, which take descriptors) and, when an engine asks for it, as a {@link FileChannel}
 * (for mapping and the JDK paths). The channel is opened on first use through {@code /proc/self/fd/<fd>},
 * which reaches the very inode the descriptor has open even if the path was renamed or replaced
 * meanwhile, so both always name one file; engines that only need the descriptor never pay for it.
 */
public final class OpenFile implements AutoCloseable {

    private static final OpenOption[] READ = {StandardOpenOption.READ};
    private static final OpenOption[] READ_WRITE = {StandardOpenOption.READ, StandardOpenOption.WRITE};

    private final Path path;
    private final int fd;
    private final OpenOption[] channelOptions;
    /** Not null when the descriptor is shared: closing this object then lets go of its share instead. */
    private final SharedDescriptor shared;
    private FileChannel channel;
    private boolean closed;

    private OpenFile(Path path, int fd, OpenOption[] channelOptions) {
        this(path, fd, channelOptions, null);
    }

    private OpenFile(Path path, int fd, OpenOption[] channelOptions, SharedDescriptor shared) {
        this.path = path;
        this.fd = fd;
        this.channelOptions = channelOptions;
        this.shared = shared;
    }

    /** Opens {@code path} for reading. */
    public static OpenFile read(Path path) throws IOException {
        return open(path, OpenFlags.READ_ONLY, READ);
    }

    /** Opens {@code path} for writing, creating it (mode 0600) when it does not exist; never truncates. */
    public static OpenFile write(Path path) throws IOException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException exists) {
            // writing into an existing file (a resumed or ranged upload) is allowed
        }
        return open(path, OpenFlags.READ_WRITE, READ_WRITE);
    }

    /**
     * Creates {@code path} and opens it for writing; fails if anything, a link included, is there already
     * (O_EXCL), so a name swapped in meanwhile is never written through. Mode 0666 less the umask, as the
     * JDK creates files: what a client uploads or copies is the share's content, readable as the rest.
     */
    public static OpenFile createNew(Path path) throws IOException {
        try {
            return new OpenFile(path, Libc.open(path.toString(),
                    OpenFlags.READ_WRITE | OpenFlags.CREATE | OpenFlags.EXCLUSIVE | OpenFlags.CLOSE_ON_EXEC, 0666), READ_WRITE);
        } catch (NativeCallException e) {
            throw new IOException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    /** Takes over the descriptor of {@code opened}, open for reading on {@code path} (say, by openat2). */
    public static OpenFile adoptForReading(Path path, OpenOutcome opened) {
        return new OpenFile(path, opened.take(), READ);
    }

    /**
     * {@code descriptor}, open for reading on {@code path}, as one more of its owners ({@link SharedDescriptor#retain}):
     * closing the result lets go of that share. Null when the descriptor was closed already.
     */
    public static OpenFile lease(Path path, SharedDescriptor descriptor) {
        return descriptor.retain() ? new OpenFile(path, descriptor.fd(), READ, descriptor) : null;
    }

    private static OpenFile open(Path path, int flags, OpenOption[] options) throws IOException {
        try {
            return new OpenFile(path, Libc.open(path.toString(), flags | OpenFlags.CLOSE_ON_EXEC), options);
        } catch (NativeCallException e) {
            throw new IOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    /** Another descriptor on the same open file, owned by the new object (a multipart body's each part). */
    public OpenFile duplicate() throws IOException {
        try {
            return new OpenFile(path, Libc.duplicate(fd), channelOptions);
        } catch (NativeCallException e) {
            throw new IOException("cannot duplicate the descriptor of " + this + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    /** The kernel descriptor; owned by this object, valid until {@link #close()}. */
    public int fd() {
        return fd;
    }

    /** The channel on the same open file, opened on first call; owned by this object. */
    public FileChannel channel() throws IOException {
        if (closed) {
            throw new IOException(this + " is closed");
        }
        if (channel == null) {
            try {
                channel = FileChannel.open(Path.of("/proc/self/fd/" + fd), channelOptions);
            } catch (IOException | RuntimeException e) {
                throw new IOException("cannot open a channel on " + path + " through /proc/self/fd/" + fd + ": " + e, e);
            }
        }
        return channel;
    }

    /**
     * Writes all of {@code source} at the file position. A failure keeps the C library's error number as
     * its cause ({@code Errno.of}), so a full disk (ENOSPC) is told from other failures by number.
     */
    public void write(ByteBuffer source) throws IOException {
        try {
            if (source.isDirect()) {
                writeFully(MemorySegment.ofBuffer(source));
                source.position(source.limit());
                return;
            }
            // A downcall takes native memory only: a heap buffer goes through a copy of its own.
            try (Arena call = Arena.ofConfined()) {
                MemorySegment copy = call.allocate(source.remaining());
                copy.copyFrom(MemorySegment.ofBuffer(source));
                writeFully(copy);
                source.position(source.limit());
            }
        } catch (NativeCallException e) {
            throw new IOException("cannot write to " + this + ": " + e.getMessage(), e);
        }
    }

    private void writeFully(MemorySegment bytes) {
        for (long done = 0; done < bytes.byteSize(); ) {
            long n = Libc.write(fd, bytes.asSlice(done));
            if (n == Libc.WOULD_BLOCK) {
                throw new IllegalStateException(this + " is non-blocking: a file written here must not be");
            }
            done += n;
        }
    }

    /** fsync(2): the file's data and metadata on the device; a failure keeps its error number as {@link #write} does. */
    public void force() throws IOException {
        try {
            Libc.fsync(fd);
        } catch (NativeCallException e) {
            throw new IOException("cannot fsync " + this + ": " + e.getMessage(), e);
        }
    }

    /** The file's size now (statx of the descriptor: no channel needed). */
    public long size() throws IOException {
        try {
            return FileStatus.of(fd).size();
        } catch (NativeCallException e) {
            throw new IOException("cannot read the size of " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (channel != null) {
                channel.close();
            }
        } finally {
            if (shared != null) {
                shared.release();
            } else {
                Libc.close(fd);
            }
        }
    }

    @Override
    public String toString() {
        return path + " (fd " + fd + ")";
    }
}
