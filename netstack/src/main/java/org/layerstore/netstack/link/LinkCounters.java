// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

/**
 * What a link did with the payload it sent: bytes the hardware read by bus address, bytes the CPU
 * copied, and file bytes pinned for DMA now; and the receive buffers it lends to the stack. Written by the stack's thread, readable from any thread.
 */
public interface LinkCounters {

    /** Payload bytes the hardware read from their own pages (S/G payload entries). */
    long dmaPayloadBytes();

    /** Payload bytes the CPU copied: behind a frame's header, or by the kernel at sendmsg. */
    long copiedPayloadBytes();

    /** File bytes pinned and registered for DMA now (held until the peer's ACK and the TX confirmation). */
    long pinnedBytes();

    /** Receive buffers lent to the stack now: frames whose bytes it keeps uncopied (0 on links that copy them). */
    long receiveBuffersLent();
}
