// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

import org.layerstore.datapath.stats.EngineStatistics;

/**
 * What every {@link Receive} shares besides what every move does ({@link AbstractMove}): its place in the
 * file, the closed and done guards, and counting a failed upload. Subclasses move one chunk in
 * {@link #receiveChunk} and release what they hold in {@link #release}.
 */
abstract class AbstractReceive extends AbstractMove implements Receive {

    protected final long position;
    protected final long length;

    AbstractReceive(long position, long length, EngineStatistics statistics) {
        super(statistics);
        this.position = position;
        this.length = length;
    }

    @Override
    public final long length() {
        return length;
    }

    @Override
    public final long received() {
        return moved();
    }

    @Override
    public final long receiveFrom(ReadableByteChannel source) throws IOException {
        if (isClosed()) {
            throw new IllegalStateException("upload receive is closed");
        }
        if (isDone()) {
            return 0;
        }
        try {
            return advance(receiveChunk(source));
        } catch (IOException | RuntimeException e) {
            statistics.transferFailed();
            throw e;
        }
    }

    /** Moves up to {@link #remaining()} bytes to the file at {@code position + received()}; 0 = nothing now. */
    protected abstract long receiveChunk(ReadableByteChannel source) throws IOException;

    /** The exception for a source that ended early, naming how much arrived. */
    protected final EOFException endedEarly() {
        return new EOFException("the peer closed the connection after " + moved() + " of " + length + " upload bytes");
    }
}
