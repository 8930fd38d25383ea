// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum (RFC 1071): the one's-complement sum of 16-bit big-endian words, accumulated over
 * any number of pieces (a pseudo-header, a header, payload pieces of odd length), then folded and
 * complemented. 32-bit words are summed into a 64-bit accumulator and folded at the end (RFC 1071 §2(B)).
 */
public final class InternetChecksum {

    private long sum;
    /** True when an odd number of bytes has been added: the next byte is the low byte of a word. */
    private boolean odd;

    public InternetChecksum add(MemorySegment bytes) {
        long at = 0;
        long length = bytes.byteSize();
        if (odd && length > 0) {
            sum += Bytes.u8(bytes, 0);
            at = 1;
            odd = false;
        }
        for (; at + 4 <= length; at += 4) {
            sum += Integer.toUnsignedLong(Bytes.u32(bytes, at));
        }
        if (at + 2 <= length) {
            sum += Bytes.u16(bytes, at);
            at += 2;
        }
        if (at < length) {
            sum += (long) Bytes.u8(bytes, at) << 8;
            odd = true;
        }
        return this;
    }

    /** Adds a 16-bit word; only between pieces of even length (pseudo-header fields). */
    public InternetChecksum addWord(int value) {
        sum += value & 0xFFFF;
        return this;
    }

    /** Adds a 32-bit value as two words (an IPv4 address). */
    public InternetChecksum addInt(int value) {
        sum += Integer.toUnsignedLong(value);
        return this;
    }

    /** The checksum to put into a header: the complement of the folded sum. */
    public int finish() {
        long s = sum;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    /** The checksum of one piece; 0 when the piece contains a correct checksum of itself. */
    public static int of(MemorySegment bytes) {
        return new InternetChecksum().add(bytes).finish();
    }
}
