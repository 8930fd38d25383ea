// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.wire.MacAddress;

/**
 * Where the stack's Ethernet frames go and come from: an AF_PACKET socket on a Linux interface
 * ({@link PacketSocketLink}) or a frame-manager port ({@link FrameManagerLink}: TX frame queue, RX frame
 * queue with BMan buffers). The stack neither knows nor cares which.
 *
 * <p>Called only from the stack's event-loop thread.
 */
public interface Link {

    MacAddress macAddress();

    /** The largest IPv4 datagram a frame carries (the interface MTU, 1500 on Ethernet). */
    int mtu();

    /**
     * Waits up to {@code timeoutMillis} (0: not at all) for frames and hands each to {@code receiver}; the
     * frame's bytes are the link's buffer, valid only during the call (a frame-manager link releases the
     * BMan buffer afterwards). Returns the number of frames handed over.
     */
    int receive(FrameReceiver receiver, int timeoutMillis);

    /**
     * Sends one frame: {@code header} (Ethernet, IPv4 and transport headers, written by the stack, valid
     * only during the call) followed by {@code payload}, references into payload pieces. A link that
     * reads the pieces after this returns (DMA until TX confirmation) retains each piece and releases it
     * at confirmation; the stack's own reference lasts until the peer acknowledges the bytes.
     *
     * @return false when the link refused the frame (the stack counts it as dropped); a link that batches may take
     *         it and still give it up at its {@link #flush}, counting it itself
     */
    boolean send(MemorySegment header, List<PayloadSlice> payload);

    /**
     * Hands the frames {@link #send} took since the last call to the hardware, in one burst. A link that batches its
     * sends (a frame-manager port: one enqueue call per burst) sends them here at the latest, and before it waits in
     * {@link #receive}; the stack calls it at the end of each turn. The default does nothing: for links whose send
     * sends at once.
     */
    default void flush() {
    }

    /**
     * Ends the current or next wait of {@link #receive} early; safe from any thread (the one call that is).
     * The default does nothing: for links whose receive never waits.
     */
    default void wakeup() {
    }

    /**
     * During {@link FrameReceiver#onFrame}: a piece over {@code bytes} (part of the frame being handed over)
     * that keeps the frame's buffer after the call, given back to the link when the piece's last reference
     * goes; null when the link cannot keep it (its receive buffer is reused at once, or it already lends as
     * many buffers as it may): the caller copies the bytes it needs. The default keeps nothing.
     */
    default PayloadPiece retainReceived(MemorySegment bytes) {
        return null;
    }

    /**
     * The stack could not read a payload piece it was to send on this link (a page of a pinned file went away):
     * nothing was handed to the link. A link whose hardware reads pages by address reports it as it reports a DMA
     * error; the default ignores it (the stack counts it).
     */
    default void payloadUnreadable(String detail) {
    }

    /** How file bodies become pieces this link sends without a CPU copy of its own: mapped pages by default. */
    default FilePieceSource filePieces() {
        return MappedFilePieces.INSTANCE;
    }

    /** Receives the frames of {@link #receive}. */
    @FunctionalInterface
    interface FrameReceiver {
        void onFrame(MemorySegment frame);

        /**
         * A frame the link's hardware marked with a receive error and the link dropped unread, as dpaa_eth
         * drops FM_FD_STAT_RX_ERRORS frames (the FMan parser's header error for a truncated or malformed
         * IPv4 or TCP header, a frame too long for its buffer, a DMA error).
         */
        default void onRejectedFrame() {
        }
    }
}
