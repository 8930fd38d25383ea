// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The byte order of the DPAA formats in one place: every multi-byte field is big-endian, whatever the
 * CPU's order, and the structs are read and written without alignment assumptions.
 */
final class BigEndianFields {

    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private BigEndianFields() {
    }

    static int u8(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    static void u8(MemorySegment s, long at, int value) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    static int u16(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(SHORT, at));
    }

    static void u16(MemorySegment s, long at, int value) {
        s.set(SHORT, at, (short) value);
    }

    static int u32(MemorySegment s, long at) {
        return s.get(INT, at);
    }

    static void u32(MemorySegment s, long at, int value) {
        s.set(INT, at, value);
    }

    /** The byte offset of element {@code index} of {@code bytes}-sized elements in {@code array}, checked. */
    static long element(MemorySegment array, long index, long bytes, String what) {
        long at = index * bytes;
        if (index < 0 || at + bytes > array.byteSize()) {
            throw new IndexOutOfBoundsException(what + " " + index + " outside a segment of " + array.byteSize()
                    + " bytes");
        }
        return at;
    }

    static void require(boolean fits, String field, long value, long max) {
        if (!fits) {
            throw new IllegalArgumentException(field + " " + value + " (0x" + Long.toHexString(value)
                    + ") does not fit: the field holds 0.." + max);
        }
    }
}
