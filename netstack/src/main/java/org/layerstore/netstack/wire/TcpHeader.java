// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.wire;

import java.lang.foreign.MemorySegment;

import org.layerstore.datapath.frames.InternetChecksum;

/** The TCP header (RFC 9293 §3.1): fixed 20 bytes, options up to 40 more. */
public final class TcpHeader {

    public static final int MIN_LENGTH = 20;
    public static final int MAX_LENGTH = 60;
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private TcpHeader() {
    }

    public static int sourcePort(MemorySegment t) {
        return Bytes.u16(t, 0);
    }

    public static int destinationPort(MemorySegment t) {
        return Bytes.u16(t, 2);
    }

    public static int sequence(MemorySegment t) {
        return Bytes.u32(t, 4);
    }

    public static int acknowledgment(MemorySegment t) {
        return Bytes.u32(t, 8);
    }

    /** Data offset in bytes. */
    public static int headerLength(MemorySegment t) {
        return (Bytes.u8(t, 12) >>> 4) * 4;
    }

    public static int flags(MemorySegment t) {
        return Bytes.u8(t, 13) & 0x3F;
    }

    public static int window(MemorySegment t) {
        return Bytes.u16(t, 14);
    }

    /** Writes the fixed header with checksum 0 (see {@link #checksum}); options follow at 20. */
    public static void write(MemorySegment t, int sourcePort, int destinationPort, int sequence, int acknowledgment,
            int headerLength, int flags, int window) {
        Bytes.u16(t, 0, sourcePort);
        Bytes.u16(t, 2, destinationPort);
        Bytes.u32(t, 4, sequence);
        Bytes.u32(t, 8, acknowledgment);
        Bytes.u8(t, 12, (headerLength / 4) << 4);
        Bytes.u8(t, 13, flags);
        Bytes.u16(t, 14, window);
        Bytes.u16(t, 16, 0);
        Bytes.u16(t, 18, 0);
    }

    /** Starts a TCP checksum with the IPv4 pseudo-header (RFC 9293 §3.1: addresses, zero, protocol, TCP length). */
    public static InternetChecksum pseudoHeader(Ipv4Address source, Ipv4Address destination, int tcpLength) {
        return new InternetChecksum().addInt(source.value()).addInt(destination.value())
                .addWord(Ipv4Header.PROTOCOL_TCP).addWord(tcpLength);
    }

    public static void checksum(MemorySegment t, int value) {
        Bytes.u16(t, 16, value);
    }
}
