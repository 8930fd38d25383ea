// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.datapath.stats.EngineStatistics;

/**
 * The bookkeeping every transfer shares: position, statistics, the truncation check and closing once.
 * Engines implement {@link #writeSome}, which follows {@link Transfer}'s return protocol.
 */
abstract class AbstractTransfer implements Transfer {

    protected final OpenFile source;
    protected final FileRange range;
    protected final EngineStatistics statistics;
    private long transferred;
    private boolean failed;
    private boolean closed;

    AbstractTransfer(OpenFile source, FileRange range, EngineStatistics statistics) {
        this.source = source;
        this.range = range;
        this.statistics = statistics;
        statistics.transferStarted();
    }

    @Override
    public final FileRange range() {
        return range;
    }

    @Override
    public final long transferred() {
        return transferred;
    }

    @Override
    public final long transferTo(WritableByteChannel target) throws IOException {
        if (closed) {
            throw new IllegalStateException("transfer of " + range + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("transfer of " + range + " already failed");
        }
        if (isDone()) {
            return 0;
        }
        try {
            long n = writeSome(target, range.offset() + transferred, remaining());
            transferred += n;
            return n;
        } catch (IOException | RuntimeException | InternalError e) {
            failed = true;
            statistics.transferFailed();
            throw explain(e);
        }
    }

    /** The source as a channel, for the JDK paths (opened on first use). */
    protected final FileChannel channel() throws IOException {
        return source.channel();
    }

    /**
     * Writes up to {@code count} bytes of the file from {@code position}; returns how many the target took.
     */
    protected abstract long writeSome(WritableByteChannel target, long position, long count) throws IOException;

    /** Releases engine resources; called once. */
    protected void release() {
    }

    /**
     * Fails with {@link FileShrankException} when the file no longer holds the whole range. Engines call
     * it when the source gave less than expected, so a truncation is named as such.
     */
    protected final void checkNotShrunk() throws IOException {
        long size = source.size();
        if (size < range.end()) {
            throw new FileShrankException("file shrank to " + size + " bytes while sending [" + range.offset() + ", "
                    + range.end() + ") after " + transferred + " bytes");
        }
    }

    private IOException explain(Throwable e) throws IOException {
        if (e instanceof FileShrankException shrank) {
            return shrank;
        }
        // A failure reading the source is most often a truncation (EFAULT from mapped pages past the
        // new end, a SIGBUS turned into InternalError): say so when it is.
        long size;
        try {
            size = source.size();
        } catch (IOException unknown) {
            size = Long.MAX_VALUE;
        }
        if (size < range.end()) {
            return new FileShrankException("file shrank to " + size + " bytes while sending [" + range.offset() + ", "
                    + range.end() + ") after " + transferred + " bytes (" + e + ")", e);
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("sending [" + range.offset() + ", " + range.end() + ") failed after " + transferred
                + " bytes: " + e, e);
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
