// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import org.layerstore.hal.dpaa.FrameDescriptor;

/**
 * Received frames a {@link FrameManagerLink} took off its RX queue while the stack was inside a send
 * waiting for TX confirmations: the portal's one dequeue ring carries both, so RX entries must move for
 * the confirmations behind them to arrive. Each keeps its BMan buffer until the next receive hands it to
 * the stack. Bounded by the RX pool (one buffer per frame); event-loop confined.
 */
final class ReceiveBacklog {

    private final long[] address;
    private final int[] offset;
    private final int[] length;
    private final int[] status;
    private int head;
    private int count;

    ReceiveBacklog(int capacity) {
        address = new long[capacity];
        offset = new int[capacity];
        length = new int[capacity];
        status = new int[capacity];
    }

    int room() {
        return address.length - count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    void add(FrameDescriptor fd) {
        if (count == address.length) {
            throw new IllegalStateException("receive backlog full: " + count + " frames");
        }
        int at = (head + count++) % address.length;
        address[at] = fd.address();
        offset[at] = fd.offset();
        length[at] = fd.length();
        status[at] = fd.status();
    }

    /** The oldest frame's buffer address; {@link #offset()}, {@link #length()}, {@link #status()} describe it. */
    long address() {
        return address[head];
    }

    int offset() {
        return offset[head];
    }

    int length() {
        return length[head];
    }

    int status() {
        return status[head];
    }

    void removeOldest() {
        head = (head + 1) % address.length;
        count--;
    }
}
