// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import org.layerstore.datapath.stats.EngineStatistics;

/**
 * What a {@link Transfer} (file to socket) and a {@link Receive} (socket to file) share: the engine's
 * statistics, which count the move's start when it is made; the bytes moved so far; closing once, which
 * releases what the move holds.
 */
abstract class AbstractMove implements AutoCloseable {

    protected final EngineStatistics statistics;
    private long moved;
    private boolean closed;

    AbstractMove(EngineStatistics statistics) {
        this.statistics = statistics;
        statistics.transferStarted();
    }

    /** The bytes moved so far. */
    final long moved() {
        return moved;
    }

    /** Adds {@code n} bytes to those moved; returns {@code n}. */
    final long advance(long n) {
        moved += n;
        return n;
    }

    final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Releases what the move holds; called once. */
    protected void release() {
    }
}
