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
 * The bookkeeping every transfer shares besides what every move does ({@link AbstractMove}): its range
 * of the source, the failed guard and the truncation check. Engines implement {@link #writeSome}, which
 * follows {@link Transfer}'s return protocol, and release what they hold in {@link #release}.
 */
abstract class AbstractTransfer extends AbstractMove implements Transfer {

    protected final OpenFile source;
    protected final FileRange range;
    private boolean failed;

    AbstractTransfer(OpenFile source, FileRange range, EngineStatistics statistics) {
        super(statistics);
        this.source = source;
        this.range = range;
    }

    @Override
    public final FileRange range() {
        return range;
    }

    @Override
    public final long transferred() {
        return moved();
    }

    @Override
    public final long transferTo(WritableByteChannel target) throws IOException {
        if (isClosed()) {
            throw new IllegalStateException("transfer of " + range + " is closed");
        }
        if (failed) {
            throw new IllegalStateException("transfer of " + range + " already failed");
        }
        if (isDone()) {
            return 0;
        }
        try {
            return advance(writeSome(target, range.offset() + moved(), remaining()));
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

    /**
     * Fails with {@link FileShrankException} when the file no longer holds the whole range. Engines call
     * it when the source gave less than expected, so a truncation is named as such.
     */
    protected final void checkNotShrunk() throws IOException {
        long size = source.size();
        if (size < range.end()) {
            throw new FileShrankException("file shrank to " + size + " bytes while sending [" + range.offset() + ", "
                    + range.end() + ") after " + moved() + " bytes");
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
                    + range.end() + ") after " + moved() + " bytes (" + e + ")", e);
        }
        if (e instanceof IOException io) {
            return io;
        }
        return new IOException("sending [" + range.offset() + ", " + range.end() + ") failed after " + moved()
                + " bytes: " + e, e);
    }
}
