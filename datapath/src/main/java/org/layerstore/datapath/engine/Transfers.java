// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.WritableByteChannel;

import org.layerstore.hal.libc.Libc;

/** Helpers for callers that send on blocking channels. */
public final class Transfers {

    /** Zero-byte writes in a row that a blocking target may answer before we call it stuck. */
    private static final int MAX_IDLE_WRITES = 1000;
    /** How long a transfer waiting for its device may go without a single completion before we call it stuck. */
    static final int COMPLETION_TIMEOUT_MILLIS = 10_000;

    private Transfers() {
    }

    /**
     * Sends the whole transfer to a blocking {@code target} and closes the transfer. A transfer that waits
     * for a device ({@link AsyncCompletion}) is waited for in {@code poll} on its completion descriptor,
     * not by calling it again and again.
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
                } else if (transfer instanceof AsyncCompletion device && device.awaitingCompletions()) {
                    awaitCompletion(transfer, device);
                } else if (++idle == MAX_IDLE_WRITES) {
                    throw new IOException("target " + target + " accepted nothing " + MAX_IDLE_WRITES + " times in a row after "
                            + transfer.transferred() + " of " + transfer.range().length() + " bytes");
                }
            }
            return transfer.transferred();
        }
    }

    private static void awaitCompletion(Transfer transfer, AsyncCompletion device) throws IOException {
        if (!Libc.awaitReadable(device.completionFd(), COMPLETION_TIMEOUT_MILLIS)) {
            throw new IOException("no completion from the device within " + COMPLETION_TIMEOUT_MILLIS + " ms after "
                    + transfer.transferred() + " of " + transfer.range().length() + " bytes");
        }
    }
}
