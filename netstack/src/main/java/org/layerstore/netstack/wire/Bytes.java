// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Network byte order in one place: every protocol field is big-endian and may sit at any alignment. */
public final class Bytes {

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    public static int u8(MemorySegment s, long at) {
        return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, at));
    }

    public static void u8(MemorySegment s, long at, int value) {
        s.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }

    public static int u16(MemorySegment s, long at) {
        return Short.toUnsignedInt(s.get(U16, at));
    }

    public static void u16(MemorySegment s, long at, int value) {
        s.set(U16, at, (short) value);
    }

    /** A 32-bit field as Java's int (sequence numbers and addresses are compared as unsigned elsewhere). */
    public static int u32(MemorySegment s, long at) {
        return s.get(U32, at);
    }

    public static void u32(MemorySegment s, long at, int value) {
        s.set(U32, at, value);
    }
}
