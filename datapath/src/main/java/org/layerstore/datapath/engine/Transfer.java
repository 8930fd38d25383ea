// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.FileRange;

/**
 * One file range on its way to one connection. The caller calls {@link #transferTo} whenever the target
 * can take more (Netty: from a {@code FileRegion}; blocking code: {@link Transfers#sendAll}) until
 * {@link #isDone()}, then {@link #close()}s it (also on error: closing releases mappings and buffers).
 *
 * <p>Return protocol of {@link #transferTo}: the number of bytes the target accepted in this call; 0
 * means the target would block (a non-blocking socket whose buffer is full), never "finished". A
 * failure (file truncated meanwhile, connection reset) throws, and the transfer is then unusable.
 */
public interface Transfer extends AutoCloseable {

    /** The range being sent. */
    FileRange range();

    /** Bytes sent so far. */
    long transferred();

    /** Writes as much of the rest as the target accepts now. */
    long transferTo(WritableByteChannel target) throws IOException;

    default long remaining() {
        return range().length() - transferred();
    }

    default boolean isDone() {
        return remaining() == 0;
    }

    /** Releases what the transfer holds; idempotent. */
    @Override
    void close();
}
