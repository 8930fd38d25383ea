// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.layerstore.datapath.frames.PacketHeaders;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_prs_result;
import org.layerstore.hal.dpaa.FrameDescriptor;

/**
 * Writes the FMan parse results of an Ethernet/IPv4/TCP frame into its buffer's TX headroom, which is
 * what the DTC command reads to compute the checksums (the Linux driver's {@code dpaa_enable_tx_csum}).
 */
final class ParseResults {

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private ParseResults() {
    }

    /** Fills the parse results of the buffer starting at {@code buffer} for a TCP/IPv4 frame. */
    static void tcpIpv4(MemorySegment buffer) {
        MemorySegment prs = buffer.asSlice(FrameDescriptor.PARSE_RESULT_OFFSET, lsh_prs_result.layout().byteSize());
        prs.fill((byte) 0);
        prs.set(BE16, lsh_prs_result.l3r$offset(), (short) hal_h.LSH_PRS_L3_IPV4());
        lsh_prs_result.l4r(prs, (byte) hal_h.LSH_PRS_L4_TCP());
        lsh_prs_result.ip_off(prs).set(ValueLayout.JAVA_BYTE, 0, (byte) PacketHeaders.ETHERNET_BYTES);
        lsh_prs_result.l4_off(prs, (byte) (PacketHeaders.ETHERNET_BYTES + PacketHeaders.IPV4_BYTES));
    }
}
