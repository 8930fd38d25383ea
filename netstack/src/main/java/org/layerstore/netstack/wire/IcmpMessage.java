// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

import org.layerstore.datapath.frames.InternetChecksum;

/** ICMP (RFC 792) types and fields this stack reads or writes. */
public final class IcmpMessage {

    public static final int HEADER_LENGTH = 8;
    public static final int ECHO_REPLY = 0;
    public static final int DESTINATION_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    /** Destination unreachable code 4: fragmentation needed and DF set (RFC 792; next-hop MTU per RFC 1191 §4). */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private IcmpMessage() {
    }

    public static int type(MemorySegment m) {
        return Bytes.u8(m, 0);
    }

    public static int code(MemorySegment m) {
        return Bytes.u8(m, 1);
    }

    /** The next-hop MTU of a fragmentation-needed message (RFC 1191 §4), 0 from routers older than it. */
    public static int nextHopMtu(MemorySegment m) {
        return Bytes.u16(m, 6);
    }

    /** The original datagram's header the error quotes, after the 8-byte ICMP header. */
    public static MemorySegment quoted(MemorySegment m) {
        return m.asSlice(HEADER_LENGTH);
    }

    /** Sets type, code and the checksum over the whole message (the rest already written). */
    public static void finish(MemorySegment m, int type, int code) {
        Bytes.u8(m, 0, type);
        Bytes.u8(m, 1, code);
        Bytes.u16(m, 2, 0);
        Bytes.u16(m, 2, InternetChecksum.of(m));
    }
}
