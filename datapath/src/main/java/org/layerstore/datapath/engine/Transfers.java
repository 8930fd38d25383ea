// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;

/** Helpers for callers that send on blocking channels. */
public final class Transfers {

    /** Zero-byte writes in a row that a blocking target may answer before we call it stuck. */
    private static final int MAX_IDLE_WRITES = 1000;

    private Transfers() {
    }

    /**
     * Sends the whole transfer to a blocking {@code target} and closes the transfer.
     *
     * @return the bytes sent
     * @throws IllegalArgumentException for a non-blocking target (use {@link Transfer#transferTo} with a selector)
     */
    public static long sendAll(Transfer transfer, WritableByteChannel target) throws IOException {
        if (target instanceof SelectableChannel selectable && !selectable.isBlocking()) {
            throw new IllegalArgumentException("sendAll needs a blocking channel; " + target + " is non-blocking");
        }
        try (transfer) {
            int idle = 0;
            while (!transfer.isDone()) {
                if (transfer.transferTo(target) > 0) {
                    idle = 0;
                } else if (++idle == MAX_IDLE_WRITES) {
                    throw new IOException("target " + target + " accepted nothing " + MAX_IDLE_WRITES + " times in a row after "
                            + transfer.transferred() + " of " + transfer.range().length() + " bytes");
                }
            }
            return transfer.transferred();
        }
    }
}
