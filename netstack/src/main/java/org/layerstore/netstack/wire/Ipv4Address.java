// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

/** An IPv4 address as its 32 bits (network order read as a Java int). */
public record Ipv4Address(int value) {

    public static final Ipv4Address ANY = new Ipv4Address(0);

    /** Parses dotted-quad notation, {@code 192.0.2.2}. */
    public static Ipv4Address parse(String text) {
        String[] parts = text.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address (four decimal bytes separated by '.'): " + text);
        }
        int v = 0;
        for (String part : parts) {
            int b;
            try {
                b = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + text, e);
            }
            if (b < 0 || b > 255 || part.isEmpty() || part.length() > 3) {
                throw new IllegalArgumentException("not an IPv4 address (a byte is 0 to 255): " + text);
            }
            v = (v << 8) | b;
        }
        return new Ipv4Address(v);
    }

    public static Ipv4Address read(MemorySegment s, long at) {
        return new Ipv4Address(Bytes.u32(s, at));
    }

    public void write(MemorySegment s, long at) {
        Bytes.u32(s, at, value);
    }

    /** True when {@code other} is in this address's subnet of {@code prefixLength} bits. */
    public boolean sameSubnet(Ipv4Address other, int prefixLength) {
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (value & mask) == (other.value & mask);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
