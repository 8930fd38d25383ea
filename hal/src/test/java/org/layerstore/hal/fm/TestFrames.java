// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_prs_result;

/** Builds Ethernet/IPv4/TCP frames and the FMan parse results DTC reads, for the frame-manager tests. */
final class TestFrames {

    static final int ETH = 14;
    static final int IP = 20;
    static final int TCP = 20;
    static final int HEADERS = ETH + IP + TCP;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private TestFrames() {
    }

    /**
     * Writes the Ethernet, IPv4 and TCP headers of a segment carrying {@code payload} bytes with sequence
     * number {@code seq} at {@code at}; the checksums are left zero for DTC to fill. Returns the header length.
     */
    static int headers(MemorySegment at, int seq, int payload) {
        at.asSlice(0, HEADERS).fill((byte) 0);
        byte[] macs = { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 };
        MemorySegment.copy(MemorySegment.ofArray(macs), 0, at, 0, macs.length);
        at.set(BE16, 12, (short) 0x0800);
        MemorySegment ip = at.asSlice(ETH);
        ip.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        ip.set(BE16, 2, (short) (IP + TCP + payload));
        ip.set(BE16, 6, (short) 0x4000);
        ip.set(ValueLayout.JAVA_BYTE, 8, (byte) 64);
        ip.set(ValueLayout.JAVA_BYTE, 9, (byte) 6);
        ip.set(BE32, 12, 0x0a000001);
        ip.set(BE32, 16, 0x0a000002);
        MemorySegment tcp = at.asSlice(ETH + IP);
        tcp.set(BE16, 0, (short) 8080);
        tcp.set(BE16, 2, (short) 49152);
        tcp.set(BE32, 4, seq);
        tcp.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x50);
        tcp.set(ValueLayout.JAVA_BYTE, 13, (byte) 0x18);
        tcp.set(BE16, 14, (short) 0xFFFF);
        return HEADERS;
    }

    /** Writes parse results for an IPv4/TCP frame into the TX headroom of the buffer at {@code buffer}. */
    static void parseResults(MemorySegment buffer) {
        MemorySegment prs = buffer.asSlice(hal_h.LSH_TX_PARSE_RESULT_OFFSET(), lsh_prs_result.layout().byteSize());
        prs.fill((byte) 0);
        prs.set(BE16, lsh_prs_result.l3r$offset(), (short) hal_h.LSH_PRS_L3_IPV4());
        lsh_prs_result.l4r(prs, (byte) hal_h.LSH_PRS_L4_TCP());
        lsh_prs_result.ip_off(prs).set(ValueLayout.JAVA_BYTE, 0, (byte) ETH);
        lsh_prs_result.l4_off(prs, (byte) (ETH + IP));
    }
}
