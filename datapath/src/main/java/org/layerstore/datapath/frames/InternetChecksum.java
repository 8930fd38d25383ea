// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071) accumulated over any number of pieces of any length, as a TCP segment
 * whose payload spans several pages needs: a piece that starts at an odd position of the whole is summed
 * as if even and byte-swapped, which RFC 1071 shows is equivalent.
 */
public final class InternetChecksum {

    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private long sum;
    private boolean oddSoFar;

    /** Adds a 16-bit big-endian value at an even position (pseudo-header fields, header words). */
    public InternetChecksum addWord(int word) {
        if (oddSoFar) {
            throw new IllegalStateException("a 16-bit word cannot follow an odd number of bytes");
        }
        sum += word & 0xFFFF;
        return this;
    }

    /** Adds a 32-bit value as two 16-bit words. */
    public InternetChecksum addInt(int value) {
        return addWord(value >>> 16).addWord(value);
    }

    /** Adds the bytes of {@code bytes}, continuing where the previous piece ended. */
    public InternetChecksum add(MemorySegment bytes) {
        long length = bytes.byteSize();
        long partial = 0;
        long at = 0;
        for (; at + 8 <= length; at += 8) {
            long v = bytes.get(LONG_BE, at);
            partial += (v >>> 32) + (v & 0xFFFFFFFFL);
        }
        for (; at + 2 <= length; at += 2) {
            partial += bytes.get(SHORT_BE, at) & 0xFFFF;
        }
        if (at < length) {
            partial += (bytes.get(ValueLayout.JAVA_BYTE, at) & 0xFF) << 8;
        }
        int folded = fold(partial);
        sum += oddSoFar ? Integer.reverseBytes(folded) >>> 16 : folded;
        oddSoFar ^= (length & 1) == 1;
        return this;
    }

    /** The checksum of {@code bytes} alone, 0 to 0xFFFF: 0 when they hold their own correct checksum. */
    public static int of(MemorySegment bytes) {
        return Short.toUnsignedInt(new InternetChecksum().add(bytes).finish());
    }

    /** The checksum to store: the ones' complement of the folded sum. */
    public short finish() {
        return (short) ~fold(sum);
    }

    private static int fold(long value) {
        long v = value;
        while ((v >>> 16) != 0) {
            v = (v & 0xFFFF) + (v >>> 16);
        }
        return (int) v;
    }
}
