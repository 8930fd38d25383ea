// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** A 48-bit Ethernet MAC address, held in the low 48 bits of a long. */
public record MacAddress(long value) {

    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value >>> 48) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        }
    }

    /** Parses {@code 02:4c:53:00:00:01}. */
    public static MacAddress parse(String text) {
        String[] parts = text.trim().split(":");
        if (parts.length != 6) {
            throw new IllegalArgumentException("not a MAC address (six hex bytes separated by ':'): " + text);
        }
        long v = 0;
        for (String part : parts) {
            v = (v << 8) | HexFormat.fromHexDigits(part);
        }
        return new MacAddress(v);
    }

    public static MacAddress read(MemorySegment s, long at) {
        return new MacAddress(((long) Bytes.u16(s, at) << 32) | Integer.toUnsignedLong(Bytes.u32(s, at + 2)));
    }

    public void write(MemorySegment s, long at) {
        Bytes.u16(s, at, (int) (value >>> 32));
        Bytes.u32(s, at + 2, (int) value);
    }

    /** Multicast or broadcast: the I/G bit of the first byte. */
    public boolean isGroup() {
        return ((value >>> 40) & 1) != 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            b.append(HexFormat.of().toHexDigits((byte) (value >>> shift)));
            if (shift > 0) {
                b.append(':');
            }
        }
        return b.toString();
    }
}
