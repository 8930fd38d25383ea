// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.netstack.wire.ArpPacket;
import org.layerstore.netstack.wire.Bytes;
import org.layerstore.netstack.wire.EthernetHeader;
import org.layerstore.datapath.frames.InternetChecksum;
import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.Ipv4Header;
import org.layerstore.netstack.wire.MacAddress;
import org.layerstore.netstack.wire.TcpHeader;
import org.layerstore.netstack.wire.TcpOptions;

/**
 * The other end in unit tests: builds the frames a peer at 192.0.2.1 would send, and decodes what the
 * stack sends back, verifying every IPv4 and TCP checksum on the way.
 */
public final class Peer {

    public static final MacAddress MAC = MacAddress.parse("02:4c:53:00:00:01");
    public static final Ipv4Address ADDRESS = Ipv4Address.parse("192.0.2.1");
    public static final Ipv4Address STACK = Ipv4Address.parse("192.0.2.2");

    /** A segment as the stack sent it. */
    public record Sent(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
            TcpOptions options, byte[] payload) {

        public boolean has(int flag) {
            return (flags & flag) != 0;
        }
    }

    private Peer() {
    }

    /** An ARP packet from the peer (request or reply) for the stack's address. */
    public static byte[] arp(int operation, MacAddress destination) {
        byte[] frame = new byte[EthernetHeader.LENGTH + ArpPacket.LENGTH];
        MemorySegment f = MemorySegment.ofArray(frame);
        EthernetHeader.write(f, destination, MAC, EthernetHeader.TYPE_ARP);
        new ArpPacket(operation, MAC, ADDRESS, operation == ArpPacket.REQUEST ? MacAddress.ZERO : RecordingLink.MAC,
                STACK).write(f.asSlice(EthernetHeader.LENGTH));
        return frame;
    }

    /** A TCP segment from the peer to the stack, with valid checksums. */
    public static byte[] tcp(int sourcePort, int destinationPort, int seq, int ack, int flags, int window,
            TcpOptions options, byte[] payload) {
        int optionBytes = options == null ? 0 : options.encodedLength();
        int tcpLength = TcpHeader.MIN_LENGTH + optionBytes + payload.length;
        byte[] frame = ipv4Frame(Ipv4Header.PROTOCOL_TCP, tcpLength);
        MemorySegment t = transport(frame);
        TcpHeader.write(t, sourcePort, destinationPort, seq, ack, TcpHeader.MIN_LENGTH + optionBytes, flags, window);
        if (options != null) {
            options.write(t, TcpHeader.MIN_LENGTH);
        }
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, t, TcpHeader.MIN_LENGTH + optionBytes, payload.length);
        TcpHeader.checksum(t, TcpHeader.pseudoHeader(ADDRESS, STACK, tcpLength).add(t).finish());
        return frame;
    }

    /** An ICMP message from the peer to the stack: {@code body} after the 4-byte type/code/checksum. */
    public static byte[] icmp(int type, int code, byte[] body) {
        byte[] frame = ipv4Frame(Ipv4Header.PROTOCOL_ICMP, 4 + body.length);
        MemorySegment m = transport(frame);
        MemorySegment.copy(MemorySegment.ofArray(body), 0, m, 4, body.length);
        Bytes.u8(m, 0, type);
        Bytes.u8(m, 1, code);
        Bytes.u16(m, 2, InternetChecksum.of(m));
        return frame;
    }

    /** A frame from the peer with Ethernet and IPv4 headers written, room for {@code transportLength} bytes. */
    private static byte[] ipv4Frame(int protocol, int transportLength) {
        byte[] frame = new byte[EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + transportLength];
        MemorySegment f = MemorySegment.ofArray(frame);
        EthernetHeader.write(f, RecordingLink.MAC, MAC, EthernetHeader.TYPE_IPV4);
        Ipv4Header.write(f.asSlice(EthernetHeader.LENGTH), Ipv4Header.MIN_LENGTH + transportLength, 7, protocol,
                ADDRESS, STACK);
        return frame;
    }

    private static MemorySegment transport(byte[] frame) {
        return MemorySegment.ofArray(frame).asSlice(EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH);
    }

    /** Decodes the TCP segments among {@code frames}, checking their IPv4 and TCP checksums and DF. */
    public static List<Sent> segments(List<byte[]> frames) {
        List<Sent> out = new ArrayList<>();
        for (byte[] frame : frames) {
            MemorySegment f = MemorySegment.ofArray(frame);
            if (EthernetHeader.type(f) != EthernetHeader.TYPE_IPV4) {
                continue;
            }
            MemorySegment ip = f.asSlice(EthernetHeader.LENGTH);
            assertEquals(0, InternetChecksum.of(ip.asSlice(0, Ipv4Header.headerLength(ip))), "IPv4 checksum");
            assertEquals(Ipv4Header.FLAG_DF, Ipv4Header.flagsAndOffset(ip), "DF set, never fragmented");
            if (Ipv4Header.protocol(ip) != Ipv4Header.PROTOCOL_TCP) {
                continue;
            }
            MemorySegment t = ip.asSlice(Ipv4Header.MIN_LENGTH, Ipv4Header.totalLength(ip) - Ipv4Header.MIN_LENGTH);
            assertEquals(0, TcpHeader.pseudoHeader(STACK, Ipv4Header.destination(ip), (int) t.byteSize()).add(t)
                    .finish(), "TCP checksum");
            int headerLength = TcpHeader.headerLength(t);
            out.add(new Sent(TcpHeader.sourcePort(t), TcpHeader.destinationPort(t), TcpHeader.sequence(t),
                    TcpHeader.acknowledgment(t), TcpHeader.flags(t), TcpHeader.window(t),
                    TcpOptions.parse(t.asSlice(TcpHeader.MIN_LENGTH, headerLength - TcpHeader.MIN_LENGTH)),
                    RecordingLink.bytes(t.asSlice(headerLength))));
        }
        return out;
    }
}
