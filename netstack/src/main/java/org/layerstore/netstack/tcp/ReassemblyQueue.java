// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.layerstore.netstack.buffer.PayloadPiece;

/**
 * Data received beyond RCV.NXT, held until the gap before it is filled (RFC 9293 §3.10.7.4, seventh check:
 * segments out of order may be kept for later processing), within the receive window. Each chunk is a
 * {@link PayloadPiece}: the link's receive buffer the segment arrived in, kept uncopied (or a copy, when
 * the link could not lend it), released when the gap fills and the chunk has been delivered. Bounded by
 * the window in bytes, and by the connection's kept-buffer limit in buffers (see {@code TcpConnection}).
 * Also the source of the SACK blocks this side reports (RFC 2018 §4).
 */
final class ReassemblyQueue {

    private record Chunk(int start, PayloadPiece data) {
        int end() {
            return start + data.length();
        }
    }

    /** Held chunks in arrival order (the newest last), possibly overlapping. */
    private final List<Chunk> chunks = new ArrayList<>();
    private long heldBytes;

    /**
     * Keeps {@code data} received at {@code seq}, cut to the window {@code [rcvNxt, rcvNxt + window)}, as the
     * piece {@code keep} makes of it; false when it does not fit (beyond the window, or the queue already
     * holds a window's worth).
     */
    boolean add(int seq, MemorySegment data, int rcvNxt, int window, Function<MemorySegment, PayloadPiece> keep) {
        int start = seq;
        MemorySegment d = data;
        int windowEnd = rcvNxt + window;
        if (Seq.ge(start, windowEnd) || heldBytes + d.byteSize() > window) {
            return false;
        }
        long room = Seq.distance(start, windowEnd);
        if (d.byteSize() > room) {
            d = d.asSlice(0, room);
        }
        chunks.add(new Chunk(start, keep.apply(d)));
        heldBytes += d.byteSize();
        return true;
    }

    /**
     * Hands the held bytes that now continue from {@code rcvNxt} to {@code deliver} (with the chunk's piece, to
     * retain when it keeps them), in order, and returns the new RCV.NXT; chunks wholly below it are released.
     */
    int drain(int rcvNxt, BiConsumer<PayloadPiece, MemorySegment> deliver) {
        int next = rcvNxt;
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int i = 0; i < chunks.size(); i++) {
                Chunk c = chunks.get(i);
                if (Seq.le(c.start, next) && Seq.gt(c.end(), next)) {
                    int skip = next - c.start;
                    deliver.accept(c.data, c.data.bytes().asSlice(skip));
                    next = c.end();
                    progress = true;
                }
            }
        }
        int upTo = next;
        chunks.removeIf(c -> {
            boolean done = Seq.le(c.end(), upTo);
            if (done) {
                heldBytes -= c.data.length();
                c.data.release();
            }
            return done;
        });
        return next;
    }

    boolean isEmpty() {
        return chunks.isEmpty();
    }

    /**
     * Up to {@code max} SACK blocks (left, right edge pairs) into {@code out}: the block holding the most
     * recently received chunk first (RFC 2018 §4), then the others by recency. Returns the block count.
     */
    int sackBlocks(int[] out, int max) {
        List<int[]> merged = new ArrayList<>();
        for (int i = chunks.size() - 1; i >= 0; i--) {
            Chunk c = chunks.get(i);
            int[] block = {c.start, c.end()};
            boolean absorbed = false;
            for (int[] m : merged) {
                if (Seq.le(block[0], m[1]) && Seq.ge(block[1], m[0])) {
                    m[0] = Seq.lt(block[0], m[0]) ? block[0] : m[0];
                    m[1] = Seq.gt(block[1], m[1]) ? block[1] : m[1];
                    absorbed = true;
                    break;
                }
            }
            if (!absorbed) {
                merged.add(block);
            }
        }
        int n = Math.min(max, merged.size());
        for (int i = 0; i < n; i++) {
            out[2 * i] = merged.get(i)[0];
            out[2 * i + 1] = merged.get(i)[1];
        }
        return n;
    }

    /** Releases every chunk (the connection closed). */
    void clear() {
        for (Chunk c : chunks) {
            c.data.release();
        }
        chunks.clear();
        heldBytes = 0;
    }
}
