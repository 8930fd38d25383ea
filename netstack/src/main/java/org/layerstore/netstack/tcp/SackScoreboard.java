// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * The sender's SACK scoreboard (RFC 6675 §3, RFC 2018): the ranges above SND.UNA that the peer reports
 * holding, kept sorted and merged, with the queries RFC 6675's loss recovery needs. Blocks outside
 * (SND.UNA, SND.MAX] are ignored (D-SACKs and forgeries alike).
 */
final class SackScoreboard {

    /** RFC 6675 §2: DupThresh. */
    static final int DUP_THRESHOLD = 3;

    private record Range(int start, int end) {
    }

    private final List<Range> ranges = new ArrayList<>();

    /** Drops what SND.UNA passed and adds the blocks of one ACK. */
    void update(int sndUna, int sndMax, int[] blocks, int count) {
        ranges.removeIf(r -> Seq.le(r.end, sndUna));
        for (int i = 0; i < count; i++) {
            int start = blocks[2 * i];
            int end = blocks[2 * i + 1];
            if (Seq.lt(start, end) && Seq.ge(start, sndUna) && Seq.le(end, sndMax)) {
                add(Seq.lt(start, sndUna) ? sndUna : start, end);
            }
        }
    }

    private void add(int start, int end) {
        int i = 0;
        while (i < ranges.size() && Seq.lt(ranges.get(i).end, start)) {
            i++;
        }
        int s = start;
        int e = end;
        while (i < ranges.size() && Seq.le(ranges.get(i).start, e)) {
            Range r = ranges.remove(i);
            s = Seq.lt(r.start, s) ? r.start : s;
            e = Seq.gt(r.end, e) ? r.end : e;
        }
        ranges.add(i, new Range(s, e));
    }

    void clear() {
        ranges.clear();
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    boolean isSacked(int seq) {
        for (Range r : ranges) {
            if (Seq.inWindow(seq, r.start, r.end)) {
                return true;
            }
        }
        return false;
    }

    /** The end of the highest SACKed range (meaningless when empty). */
    int highestSacked() {
        return ranges.get(ranges.size() - 1).end;
    }

    /**
     * RFC 6675 §4 IsLost(seq): DupThresh discontiguous SACKed ranges above it, or more than
     * (DupThresh - 1) * SMSS bytes SACKed above it.
     */
    boolean isLost(int seq, int mss) {
        int blocks = 0;
        long bytes = 0;
        for (Range r : ranges) {
            if (Seq.gt(r.end, seq)) {
                blocks++;
                bytes += Seq.distance(Seq.gt(r.start, seq) ? r.start : seq + 1, r.end);
            }
        }
        return blocks >= DUP_THRESHOLD || bytes > (long) (DUP_THRESHOLD - 1) * mss;
    }

    /** The first sequence number at or after {@code from} that is not SACKed (from itself when outside all). */
    int firstUnsacked(int from) {
        int seq = from;
        for (Range r : ranges) {
            if (Seq.inWindow(seq, r.start, r.end)) {
                seq = r.end;
            }
        }
        return seq;
    }

    /** Where the hole starting at {@code seq} ends: the start of the next SACKed range above, or {@code limit}. */
    int holeEnd(int seq, int limit) {
        for (Range r : ranges) {
            if (Seq.gt(r.start, seq)) {
                return Seq.lt(r.start, limit) ? r.start : limit;
            }
        }
        return limit;
    }
}
