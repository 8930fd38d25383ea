// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

import java.lang.foreign.MemorySegment;
import java.util.List;

import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.wire.Ipv4Address;

/** How a transport protocol sends: it writes its header into {@link #transportHeader}, then {@link #send}. */
public interface Ipv4Output {

    Ipv4Address localAddress();

    /** The largest IPv4 datagram the link carries (its MTU). */
    int mtu();

    /**
     * Where the next datagram's transport header goes (60 bytes at least), directly after its IPv4
     * header in the frame's header buffer; valid until {@link #send} returns.
     */
    MemorySegment transportHeader();

    /**
     * Sends the transport header of {@code transportHeaderLength} bytes plus {@code payload} (references,
     * not copied) to {@code destination}, in one IPv4 datagram with DF set. A failure (next hop not
     * resolved yet, link refused) is counted and the datagram dropped: TCP recovers by retransmission.
     */
    void send(Ipv4Address destination, int protocol, int transportHeaderLength, List<PayloadSlice> payload);

    /** A transport could not read the payload of a datagram it was building ({@code detail} says which): counted, told to the link. */
    void payloadUnreadable(String detail);
}
