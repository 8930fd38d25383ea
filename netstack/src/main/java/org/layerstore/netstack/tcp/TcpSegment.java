// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.lang.foreign.MemorySegment;

import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.TcpHeader;
import org.layerstore.netstack.wire.TcpOptions;

/** A received TCP segment, parsed; {@code payload} is a view into the received frame, valid during processing. */
public record TcpSegment(Ipv4Address source, int sourcePort, int destinationPort, int seq, int ack, int flags,
        int window, TcpOptions options, MemorySegment payload) {

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    public int payloadLength() {
        return (int) payload.byteSize();
    }

    /** SEG.LEN: payload plus one for SYN and one for FIN (RFC 9293 §3.4). */
    public int sequenceLength() {
        return payloadLength() + (has(TcpHeader.SYN) ? 1 : 0) + (has(TcpHeader.FIN) ? 1 : 0);
    }

    public ConnectionKey key() {
        return new ConnectionKey(source, sourcePort, destinationPort);
    }
}
