// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.Receive;
import org.layerstore.datapath.engine.ReceiveEngine;
import org.layerstore.datapath.engine.SocketDescriptor;
import org.layerstore.datapath.stats.EngineStatistics;

import io.netty.buffer.ByteBuf;

/**
 * Every upload the server receives is written through here. The body streams into a temporary file in
 * the target's own folder (so the final rename stays on one filesystem and is atomic), is fsynced, and
 * only then renamed over the target; the folder is fsynced so the rename survives a power cut. Until
 * {@link #commit} the old file is untouched, and {@link #abort} leaves no temporary behind.
 *
 * <p>The body arrives in one or two ways. The bytes Netty has read already come as buffers
 * ({@link #write}, the datapath's {@code copy} receive path, counted in its statistics). When the
 * connection's socket is handed over ({@link #switchToSocket}), the rest is moved by a datapath receive
 * engine straight from the socket into the file at the right offset ({@link #receiveFrom}; {@code splice}:
 * socket -> pipe -> file, no user-space copy, counted in that engine's statistics).
 */
public final class UploadReceiver implements AutoCloseable {

    /** Thrown when the body grows past the configured maximum; the temporary is already gone. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("upload larger than " + limit + " bytes");
        }
    }

    /** The target's folder, held open until the upload is committed or dropped. */
    private final OpenDirectory folder;
    private final Path target;
    private final Path temporary;
    /** The temporary, open for the bytes that come as buffers (and for the one fsync of them all). */
    private final OpenFile file;
    private final long maxBytes;
    private final EngineStatistics statistics;
    private String engine = "copy";
    private OpenFile socketFile;
    private Receive socketReceive;
    private IOException failure;
    private long received;
    private boolean done;
    private FileState committed;

    private UploadReceiver(OpenDirectory folder, Path target, Path temporary, OpenFile file, long maxBytes,
            EngineStatistics statistics) {
        this.folder = folder;
        this.target = target;
        this.temporary = temporary;
        this.file = file;
        this.maxBytes = maxBytes;
        this.statistics = statistics;
        statistics.transferStarted();
    }

    /**
     * Starts receiving a new version of {@code name} in {@code folder}, which it now owns and closes when the
     * upload is committed or dropped: the temporary is created in that open folder and renamed within it,
     * so a link swapped into the folder's path meanwhile cannot move the upload out of the share.
     *
     * @param statistics the {@code copy} receive engine's counters
     */
    public static UploadReceiver open(OpenDirectory folder, String name, long maxBytes, EngineStatistics statistics)
            throws IOException {
        Path target = folder.resolve(name);
        Path temporary = TemporaryNames.beside(target, TemporaryNames.UPLOAD);
        OpenFile file;
        try {
            file = OpenFile.createNew(temporary);
        } catch (IOException | RuntimeException e) {
            folder.close();
            throw e;
        }
        return new UploadReceiver(folder, target, temporary, file, maxBytes, statistics);
    }

    /**
     * The engine that carried this upload into the file, for the access log: {@code copy}, or the engine
     * the socket was handed to (which then carried every byte after the buffered ones).
     */
    public String engine() {
        return engine;
    }

    public long received() {
        return received;
    }

    /** Whether the upload has been committed or dropped. */
    public boolean ended() {
        return done;
    }

    /**
     * Appends a piece of the body; on any failure the temporary is removed before the exception leaves. After
     * a failure of {@link #receiveFrom}, throws that failure.
     */
    public void write(ByteBuf content) throws IOException {
        if (failure != null) {
            throw failure;
        }
        int n = content.readableBytes();
        if (received + n > maxBytes) {
            abort();
            throw new TooLargeException(maxBytes);
        }
        try {
            for (ByteBuffer piece : content.nioBuffers()) {
                file.write(piece);
                statistics.syscalls(1);
            }
            content.skipBytes(n);
            received += n;
            // socket -> buffer (Netty's read) and buffer -> page cache (the write): two CPU copies
            statistics.moved(n, 2L * n);
        } catch (IOException e) {
            statistics.transferFailed();
            abort();
            throw e;
        }
    }

    /**
     * From now on the body's remaining {@code declaredLength - received()} bytes come straight from the
     * connection's socket through {@code receiver}, written into the temporary at their offsets.
     */
    public void switchToSocket(ReceiveEngine receiver, long declaredLength) throws IOException {
        if (declaredLength > maxBytes) {
            abort();
            throw new TooLargeException(maxBytes);
        }
        try {
            socketFile = OpenFile.write(temporary);
            socketReceive = receiver.open(socketFile, received, declaredLength - received);
            engine = receiver.name();
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /**
     * Moves what the socket holds now towards the file: the count, 0 when it has nothing now. On a failure
     * the temporary is removed before the exception leaves, and {@link #write} throws it from then on.
     */
    public long receiveFrom(SocketDescriptor socket) throws IOException {
        if (done) {
            throw new IOException("the upload of " + target + " has already ended");
        }
        try {
            long n = socketReceive.receiveFrom(socket);
            received += n;
            return n;
        } catch (IOException e) {
            fail(e);
            throw e;
        }
    }

    /** Drops the upload because of {@code cause}, which {@link #write} throws from then on. */
    public void fail(IOException cause) {
        if (failure == null) {
            failure = cause;
        }
        abort();
    }

    /** Whether every byte due from the socket is in the file. */
    public boolean socketBodyComplete() {
        return socketReceive != null && socketReceive.isDone();
    }

    /**
     * Makes the received bytes the target's content: fsync, {@code beforeRename} (e.g. to carry the old
     * file's properties over), atomic rename, fsync of the folder.
     */
    public void commit(RenameHook beforeRename) throws IOException {
        if (socketReceive != null && !socketReceive.isDone()) {
            abort();
            throw new IOException("the upload of " + target + " ended after " + received + " bytes, "
                    + socketReceive.remaining() + " short of its Content-Length");
        }
        try {
            file.force(); // one fsync covers the socket engine's writes too: same inode
            file.close();
            closeSocketSide();
            beforeRename.run(temporary);
            committed = FileState.of(temporary); // a rename keeps inode, size and time: the new file's state
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (AtomicMoveNotSupportedException e) {
            abort();
            throw new IOException("cannot rename " + temporary + " over " + target + " atomically", e);
        } catch (IOException e) {
            abort();
            throw e;
        }
        try {
            Fsync.path(folder.path());
        } finally {
            folder.close();
        }
    }

    /** The state of the file {@link #commit} put in place, for its ETag. */
    public FileState committedState() {
        if (committed == null) {
            throw new IllegalStateException("upload of " + target + " not committed");
        }
        return committed;
    }

    /** Work to do on the complete temporary file just before it replaces the target. */
    @FunctionalInterface
    public interface RenameHook {
        void run(Path temporary) throws IOException;
    }

    /** Drops the upload: the temporary is deleted and the target stays as it was. Safe to call twice. */
    public void abort() {
        if (done) {
            return;
        }
        done = true;
        try {
            file.close();
        } catch (IOException e) {
            // closing a file we are about to delete: nothing more to lose
        }
        try {
            closeSocketSide();
        } catch (IOException e) {
            // likewise
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(UploadReceiver.class).warn("cannot remove upload temporary {}: {}",
                    temporary, e.toString());
        } finally {
            folder.close();
        }
    }

    private void closeSocketSide() throws IOException {
        if (socketReceive != null) {
            socketReceive.close();
        }
        if (socketFile != null) {
            socketFile.close();
        }
    }

    @Override
    public void close() {
        abort();
    }
}
