// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.ReadableByteChannel;

/**
 * One upload body on its way into a file. {@link #receiveFrom} returns the bytes taken in this call (0
 * when a non-blocking source has nothing now); a source that ends before {@link #length()} bytes throws
 * {@link java.io.EOFException} naming how much arrived.
 */
public interface Receive extends AutoCloseable {

    long length();

    long received();

    long receiveFrom(ReadableByteChannel source) throws IOException;

    default long remaining() {
        return length() - received();
    }

    default boolean isDone() {
        return remaining() == 0;
    }

    @Override
    void close();
}
