package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatistics;

import io.netty.buffer.ByteBuf;

/**
 * Every upload the server receives is written through here. The body streams into a temporary file in
 * the target's own folder (so the final rename stays on one filesystem and is atomic), is fsynced, and
 * only then renamed over the target; the folder is fsynced so the rename survives a power cut. Until
 * {@link #commit} the old file is untouched, and {@link #abort} leaves no temporary behind.
 *
 * <p>Uploads are the datapath's {@code copy} receive path, and counted in its statistics: Netty's epoll
 * transport has already read the body from the socket into buffers (the HTTP decoder needs the bytes
 * to find headers and chunk boundaries), so the socket-to-pipe-to-file splice of
 * {@code SpliceReceiveEngine} has nothing left to splice; the buffers are written to the file.
 */
public final class UploadReceiver implements AutoCloseable {

    /** Thrown when the body grows past the configured maximum; the temporary is already gone. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(long limit) {
            super("upload larger than " + limit + " bytes");
        }
    }

    private static final String ENGINE = "copy";

    private final Path target;
    private final Path temporary;
    private final FileChannel channel;
    private final long maxBytes;
    private final EngineStatistics statistics;
    private long received;
    private boolean done;

    private UploadReceiver(Path target, Path temporary, FileChannel channel, long maxBytes, EngineStatistics statistics) {
        this.target = target;
        this.temporary = temporary;
        this.channel = channel;
        this.maxBytes = maxBytes;
        this.statistics = statistics;
        statistics.transferStarted();
    }

    /**
     * Starts receiving a new version of {@code target}.
     *
     * @param statistics the {@code copy} receive engine's counters ({@link #statisticsIn})
     */
    public static UploadReceiver open(Path target, long maxBytes, EngineStatistics statistics) throws IOException {
        Path temporary = target.resolveSibling(Share.RESERVED_PREFIX + "upload-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".tmp");
        FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new UploadReceiver(target, temporary, channel, maxBytes, statistics);
    }

    /** The engine that carried this upload into the file, for the access log. */
    public String engine() {
        return ENGINE;
    }

    /** The counters uploads are recorded in: the {@code copy} receive engine's. */
    public static EngineStatistics statisticsIn(TransmitEngines engines) {
        return engines.receivers().stream().filter(r -> r.name().equals(ENGINE)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the datapath has no copy receive engine"))
                .statistics();
    }

    public long received() {
        return received;
    }

    /** Appends a piece of the body; on any failure the temporary is removed before the exception leaves. */
    public void write(ByteBuf content) throws IOException {
        int n = content.readableBytes();
        if (received + n > maxBytes) {
            abort();
            throw new TooLargeException(maxBytes);
        }
        try {
            while (content.isReadable()) {
                content.readBytes(channel, content.readableBytes());
                statistics.syscalls(1);
            }
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
     * Makes the received bytes the target's content: fsync, {@code beforeRename} (e.g. to carry the old
     * file's properties over), atomic rename, fsync of the folder.
     */
    public void commit(RenameHook beforeRename) throws IOException {
        try {
            channel.force(true);
            channel.close();
            beforeRename.run(temporary);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
        } catch (AtomicMoveNotSupportedException e) {
            abort();
            throw new IOException("cannot rename " + temporary + " over " + target + " atomically", e);
        } catch (IOException e) {
            abort();
            throw e;
        }
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
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
            channel.close();
        } catch (IOException e) {
            // closing a file we are about to delete: nothing more to lose
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(UploadReceiver.class).warn("cannot remove upload temporary {}: {}",
                    temporary, e.toString());
        }
    }

    @Override
    public void close() {
        abort();
    }
}
