// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

/**
 * An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol 0x0800, lengths 6 and 4;
 * 28 bytes after the Ethernet header.
 */
public record ArpPacket(int operation, MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac,
        Ipv4Address targetIp) {

    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private static final int HARDWARE_ETHERNET = 1;

    /** The packet at the start of {@code body}, or null when it is not Ethernet/IPv4 ARP or is too short. */
    public static ArpPacket parse(MemorySegment body) {
        if (body.byteSize() < LENGTH || Bytes.u16(body, 0) != HARDWARE_ETHERNET
                || Bytes.u16(body, 2) != EthernetHeader.TYPE_IPV4 || Bytes.u8(body, 4) != 6 || Bytes.u8(body, 5) != 4) {
            return null;
        }
        return new ArpPacket(Bytes.u16(body, 6), MacAddress.read(body, 8), Ipv4Address.read(body, 14),
                MacAddress.read(body, 18), Ipv4Address.read(body, 24));
    }

    public void write(MemorySegment body) {
        Bytes.u16(body, 0, HARDWARE_ETHERNET);
        Bytes.u16(body, 2, EthernetHeader.TYPE_IPV4);
        Bytes.u8(body, 4, 6);
        Bytes.u8(body, 5, 4);
        Bytes.u16(body, 6, operation);
        senderMac.write(body, 8);
        senderIp.write(body, 14);
        targetMac.write(body, 18);
        targetIp.write(body, 24);
    }
}
