// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import static org.layerstore.hal.dpaa.BigEndianFields.u16;
import static org.layerstore.hal.dpaa.BigEndianFields.u8;

import java.lang.foreign.MemorySegment;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_prs_result;

/**
 * The FMan parse results ({@code struct fman_prs_result}, 32 bytes, big-endian) in a TX buffer's headroom,
 * as a flyweight beside {@link FrameDescriptor} and {@link SgEntry}: what the DTC command reads to fill
 * the L3/L4 checksums (the Linux driver's {@code dpaa_enable_tx_csum} writes the same fields).
 */
public final class ParseResult {

    public static final long BYTES = lsh_prs_result.layout().byteSize();
    public static final int L3_IPV4 = hal_h.LSH_PRS_L3_IPV4();
    public static final int L4_TCP = hal_h.LSH_PRS_L4_TCP();

    private static final long L3R = lsh_prs_result.l3r$offset();
    private static final long L4R = lsh_prs_result.l4r$offset();
    private static final long IP_OFF = lsh_prs_result.ip_off$offset();
    private static final long L4_OFF = lsh_prs_result.l4_off$offset();

    private final MemorySegment segment;

    private ParseResult(MemorySegment segment) {
        this.segment = segment;
    }

    /** The parse results of the TX buffer starting at {@code buffer} (at {@link FrameDescriptor#PARSE_RESULT_OFFSET}). */
    public static ParseResult ofTxBuffer(MemorySegment buffer) {
        return new ParseResult(buffer.asSlice(FrameDescriptor.PARSE_RESULT_OFFSET, BYTES));
    }

    /** Clears every field, then describes a frame with an IPv4 header at {@code ipOffset} and TCP at {@code l4Offset}. */
    public ParseResult tcpIpv4(int ipOffset, int l4Offset) {
        BigEndianFields.require(ipOffset >= 0 && ipOffset <= 0xFF, "ip offset", ipOffset, 0xFF);
        BigEndianFields.require(l4Offset >= 0 && l4Offset <= 0xFF, "l4 offset", l4Offset, 0xFF);
        segment.fill((byte) 0);
        u16(segment, L3R, L3_IPV4);
        u8(segment, L4R, L4_TCP);
        u8(segment, IP_OFF, ipOffset);
        u8(segment, L4_OFF, l4Offset);
        return this;
    }

    public int l3r() {
        return u16(segment, L3R);
    }

    public int l4r() {
        return u8(segment, L4R);
    }

    /** Offset of the (first) IP header in the frame. */
    public int ipOffset() {
        return u8(segment, IP_OFF);
    }

    /** Offset of the L4 header in the frame. */
    public int l4Offset() {
        return u8(segment, L4_OFF);
    }
}
