// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

import org.layerstore.datapath.frames.InternetChecksum;

/**
 * The IPv4 header (RFC 791 §3.1). What this stack sends has no options (20 bytes), DF set and is never
 * fragmented (RFC 791 §2.3; path MTU discovery, RFC 1191); what it receives may carry options, which are
 * skipped.
 */
public final class Ipv4Header {

    public static final int MIN_LENGTH = 20;
    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    /** Flags and fragment offset field: Don't Fragment, More Fragments, and the offset's 13 bits. */
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int OFFSET_MASK = 0x1FFF;
    public static final int DEFAULT_TTL = 64;

    private Ipv4Header() {
    }

    public static int version(MemorySegment p) {
        return Bytes.u8(p, 0) >>> 4;
    }

    /** Header length in bytes (IHL * 4). */
    public static int headerLength(MemorySegment p) {
        return (Bytes.u8(p, 0) & 0x0F) * 4;
    }

    public static int totalLength(MemorySegment p) {
        return Bytes.u16(p, 2);
    }

    public static int flagsAndOffset(MemorySegment p) {
        return Bytes.u16(p, 6);
    }

    public static int protocol(MemorySegment p) {
        return Bytes.u8(p, 9);
    }

    public static Ipv4Address source(MemorySegment p) {
        return Ipv4Address.read(p, 12);
    }

    public static Ipv4Address destination(MemorySegment p) {
        return Ipv4Address.read(p, 16);
    }

    /** True for a fragment: More Fragments set or a non-zero offset (RFC 791 §3.2). */
    public static boolean isFragment(MemorySegment p) {
        int f = flagsAndOffset(p);
        return (f & FLAG_MF) != 0 || (f & OFFSET_MASK) != 0;
    }

    /** Writes a 20-byte header with DF set and its checksum. */
    public static void write(MemorySegment p, int totalLength, int identification, int protocol, Ipv4Address source,
            Ipv4Address destination) {
        Bytes.u8(p, 0, 0x45);
        Bytes.u8(p, 1, 0);
        Bytes.u16(p, 2, totalLength);
        Bytes.u16(p, 4, identification);
        Bytes.u16(p, 6, FLAG_DF);
        Bytes.u8(p, 8, DEFAULT_TTL);
        Bytes.u8(p, 9, protocol);
        Bytes.u16(p, 10, 0);
        source.write(p, 12);
        destination.write(p, 16);
        Bytes.u16(p, 10, InternetChecksum.of(p.asSlice(0, MIN_LENGTH)));
    }
}
