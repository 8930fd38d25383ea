// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import org.layerstore.datapath.DatapathLimits;

/**
 * Writes the Ethernet II + IPv4 + TCP headers (54 bytes, no options) of one segment of a {@link TcpFlow}
 * into a header buffer, with the IPv4 header checksum and, in {@link ChecksumMode#SOFTWARE}, the TCP
 * checksum over pseudo-header, header and payload.
 */
public final class PacketHeaders {

    public static final int ETHERNET_BYTES = 14;
    public static final int IPV4_BYTES = 20;
    public static final int TCP_BYTES = 20;
    /** The whole header buffer of a frame. */
    public static final int HEADER_BYTES = DatapathLimits.FRAME_HEADER_BYTES;
    public static final int TCP_ACK = 0x10;
    public static final int TCP_PSH = 0x08;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_TCP = 6;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int TTL = 64;

    private PacketHeaders() {
    }

    /**
     * Writes the headers of the segment carrying {@code payload} at TCP sequence {@code sequence}.
     *
     * @param header   at least {@link DatapathLimits#FRAME_HEADER_BYTES} bytes
     * @param payload  the segment's payload pieces in order (their bytes are read only for the software checksum)
     * @param push     sets PSH (the last segment of a response)
     * @param ipId     the IPv4 identification field
     */
    public static void write(MemorySegment header, TcpFlow flow, int sequence, MemorySegment[] payload, boolean push,
                             int ipId, ChecksumMode checksum) {
        write(header, template(flow), sequence, payload, push, ipId, checksum);
    }

    /**
     * The parts of a flow's headers that never change, to pass to
     * {@link #write(MemorySegment, MemorySegment, int, MemorySegment[], boolean, int, ChecksumMode)}: one per
     * connection instead of rebuilding addresses for every segment.
     */
    public static MemorySegment template(TcpFlow flow) {
        MemorySegment header = MemorySegment.ofArray(new byte[HEADER_BYTES]);
        MemorySegment.copy(flow.destinationMac(), 0, header, ValueLayout.JAVA_BYTE, 0, 6);
        MemorySegment.copy(flow.sourceMac(), 0, header, ValueLayout.JAVA_BYTE, 6, 6);
        header.set(U16, 12, (short) ETHERTYPE_IPV4);
        MemorySegment ip = header.asSlice(ETHERNET_BYTES, IPV4_BYTES);
        ip.set(ValueLayout.JAVA_BYTE, 0, (byte) 0x45);
        ip.set(U16, 6, (short) DONT_FRAGMENT);
        ip.set(ValueLayout.JAVA_BYTE, 8, (byte) TTL);
        ip.set(ValueLayout.JAVA_BYTE, 9, (byte) PROTOCOL_TCP);
        ip.set(U32, 12, address(flow.source().getAddress()));
        ip.set(U32, 16, address(flow.destination().getAddress()));
        MemorySegment tcp = header.asSlice(ETHERNET_BYTES + IPV4_BYTES, TCP_BYTES);
        tcp.set(U16, 0, (short) flow.sourcePort());
        tcp.set(U16, 2, (short) flow.destinationPort());
        tcp.set(U32, 8, flow.acknowledgement());
        tcp.set(ValueLayout.JAVA_BYTE, 12, (byte) ((TCP_BYTES / 4) << 4));
        tcp.set(U16, 14, (short) flow.window());
        return header;
    }

    /** As {@link #write(MemorySegment, TcpFlow, int, MemorySegment[], boolean, int, ChecksumMode)}, from a template. */
    public static void write(MemorySegment header, MemorySegment template, int sequence, MemorySegment[] payload,
                             boolean push, int ipId, ChecksumMode checksum) {
        long payloadLength = 0;
        for (MemorySegment piece : payload) {
            payloadLength += piece.byteSize();
        }
        int ipLength = (int) (IPV4_BYTES + TCP_BYTES + payloadLength);
        if (ipLength > 0xFFFF) {
            throw new IllegalArgumentException("segment of " + payloadLength + " payload bytes does not fit an IPv4 packet");
        }
        MemorySegment.copy(template, 0, header, 0, HEADER_BYTES);
        MemorySegment ip = header.asSlice(ETHERNET_BYTES, IPV4_BYTES);
        ip.set(U16, 2, (short) ipLength);
        ip.set(U16, 4, (short) ipId);
        ip.set(U16, 10, new InternetChecksum().add(ip).finish());

        MemorySegment tcp = header.asSlice(ETHERNET_BYTES + IPV4_BYTES, TCP_BYTES);
        tcp.set(U32, 4, sequence);
        tcp.set(ValueLayout.JAVA_BYTE, 13, (byte) (TCP_ACK | (push ? TCP_PSH : 0)));
        if (checksum == ChecksumMode.SOFTWARE) {
            InternetChecksum sum = new InternetChecksum()
                    .addInt(ip.get(U32, 12))
                    .addInt(ip.get(U32, 16))
                    .addWord(PROTOCOL_TCP)
                    .addWord(TCP_BYTES + (int) payloadLength)
                    .add(tcp);
            for (MemorySegment piece : payload) {
                sum.add(piece);
            }
            tcp.set(U16, 16, sum.finish());
        }
    }

    private static int address(byte[] ipv4) {
        return (ipv4[0] & 0xFF) << 24 | (ipv4[1] & 0xFF) << 16 | (ipv4[2] & 0xFF) << 8 | ipv4[3] & 0xFF;
    }
}
