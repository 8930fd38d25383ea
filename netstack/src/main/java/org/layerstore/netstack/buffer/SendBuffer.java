// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import org.layerstore.netstack.tcp.Seq;

/**
 * A connection's send buffer as a socket meta-buffer: a queue of payload pieces, each placed at the
 * sequence number of its first byte, from the oldest unacknowledged byte to the last byte written. The
 * buffer holds one reference per piece and releases it only when the peer's cumulative ACK covers the
 * whole piece ({@link #acknowledge}); segments, first transmissions and retransmissions alike, are
 * {@link #slices} over the same pieces, so nothing is copied and segment boundaries may change between
 * transmissions (a smaller MSS after an ICMP fragmentation-needed).
 *
 * <p>Every byte held is reported to {@code pinnedBytes} (+ on write, - on release).
 */
public final class SendBuffer {

    private record Entry(PayloadPiece piece, int startSeq) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private final LongConsumer pinnedBytes;
    /** Sequence number of the first byte not yet acknowledged. */
    private int headSeq;
    /** Sequence number after the last byte written. */
    private int endSeq;
    private long heldBytes;

    public SendBuffer(int startSeq, LongConsumer pinnedBytes) {
        this.headSeq = startSeq;
        this.endSeq = startSeq;
        this.pinnedBytes = pinnedBytes;
    }

    /** Appends {@code piece}, taking over the caller's reference. */
    public void append(PayloadPiece piece) {
        entries.addLast(new Entry(piece, endSeq));
        endSeq += piece.length();
        heldBytes += piece.length();
        pinnedBytes.accept(piece.length());
    }

    /** Releases every piece the cumulative acknowledgment {@code ackSeq} covers completely. */
    public void acknowledge(int ackSeq) {
        int upTo = Seq.lt(endSeq, ackSeq) ? endSeq : ackSeq;
        if (Seq.gt(upTo, headSeq)) {
            headSeq = upTo;
        }
        while (!entries.isEmpty()) {
            Entry first = entries.peekFirst();
            if (Seq.gt(first.startSeq + first.piece.length(), headSeq)) {
                break;
            }
            entries.removeFirst();
            release(first.piece);
        }
    }

    /**
     * The bytes {@code [seq, seq + length)} as slices of the held pieces, in order. {@code seq} must not be
     * before the first unacknowledged byte nor the range past the last byte written.
     */
    public List<PayloadSlice> slices(int seq, int length) {
        if (Seq.lt(seq, headSeq) || Seq.gt(seq + length, endSeq)) {
            throw new IllegalArgumentException("range [" + Integer.toUnsignedString(seq) + ", +" + length
                    + ") is outside the buffer [" + Integer.toUnsignedString(headSeq) + ", "
                    + Integer.toUnsignedString(endSeq) + ")");
        }
        List<PayloadSlice> out = new ArrayList<>(4);
        int remaining = length;
        for (Entry e : entries) {
            if (remaining == 0) {
                break;
            }
            int entryEnd = e.startSeq + e.piece.length();
            if (Seq.le(entryEnd, seq)) {
                continue;
            }
            int offset = seq - e.startSeq;
            int take = Math.min(remaining, e.piece.length() - offset);
            out.add(new PayloadSlice(e.piece, offset, take));
            seq += take;
            remaining -= take;
        }
        return out;
    }

    /** Releases every piece (the connection closed or was reset). */
    public void releaseAll() {
        while (!entries.isEmpty()) {
            release(entries.removeFirst().piece);
        }
        headSeq = endSeq;
    }

    /** Sequence number after the last byte written. */
    public int endSeq() {
        return endSeq;
    }

    /** Bytes of the pieces held (whole pieces, including acknowledged bytes of a partly acknowledged one). */
    public long heldBytes() {
        return heldBytes;
    }

    private void release(PayloadPiece piece) {
        heldBytes -= piece.length();
        pinnedBytes.accept(-piece.length());
        piece.release();
    }
}
