// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

import org.layerstore.datapath.stats.EngineStatistics;

/**
 * What every {@link Receive} shares: its place in the file, its progress, the closed and done guards,
 * and counting a failed upload. Subclasses move one chunk in {@link #receiveChunk} and release what they
 * hold in {@link #release}.
 */
abstract class AbstractReceive implements Receive {

    protected final long position;
    protected final long length;
    protected final EngineStatistics statistics;
    private long received;
    private boolean closed;

    AbstractReceive(long position, long length, EngineStatistics statistics) {
        this.position = position;
        this.length = length;
        this.statistics = statistics;
        statistics.transferStarted();
    }

    @Override
    public final long length() {
        return length;
    }

    @Override
    public final long received() {
        return received;
    }

    @Override
    public final long receiveFrom(ReadableByteChannel source) throws IOException {
        if (closed) {
            throw new IllegalStateException("upload receive is closed");
        }
        if (isDone()) {
            return 0;
        }
        try {
            long n = receiveChunk(source);
            received += n;
            return n;
        } catch (IOException | RuntimeException e) {
            statistics.transferFailed();
            throw e;
        }
    }

    /** Moves up to {@link #remaining()} bytes to the file at {@code position + received()}; 0 = nothing now. */
    protected abstract long receiveChunk(ReadableByteChannel source) throws IOException;

    /** The exception for a source that ended early, naming how much arrived. */
    protected final EOFException endedEarly() {
        return new EOFException("the peer closed the connection after " + received + " of " + length + " upload bytes");
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Releases what the receive holds; called once. */
    protected void release() {
    }
}
