// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

/** Why the stack dropped a frame it received, or one it could not send; each has a counter. */
public enum DropReason {
    /**
     * Marked with a receive error by the link's hardware and dropped by the link (on the frame manager: the
     * parser's header error for a truncated or malformed IPv4 or TCP header, an oversized frame, DMA).
     */
    LINK_RX_ERROR,
    /** Shorter than its Ethernet header, or than the header of the protocol it claims to carry. */
    FRAME_TOO_SHORT,
    /** Destined to another unicast MAC address. */
    NOT_OUR_MAC,
    /** Neither IPv4 nor ARP (VLAN tags, IPv6, LLDP ...). */
    UNSUPPORTED_ETHERTYPE,
    ARP_MALFORMED,
    /** An ARP request for another address. */
    ARP_NOT_FOR_US,
    /** Wrong version, header length or total length. */
    IPV4_MALFORMED,
    IPV4_BAD_CHECKSUM,
    /** A fragment: this stack never reassembles (it never causes fragments: DF on everything it sends). */
    IPV4_FRAGMENT,
    IPV4_NOT_OUR_ADDRESS,
    IPV4_UNSUPPORTED_PROTOCOL,
    ICMP_MALFORMED,
    ICMP_BAD_CHECKSUM,
    /** An ICMP message this stack does not act on (redirects, other unreachables, timestamps ...). */
    ICMP_IGNORED,
    TCP_MALFORMED,
    TCP_BAD_CHECKSUM,
    /** An option whose length is illegal (below 2 or past the header): RFC 9293 §3.1 MUST-7. */
    TCP_BAD_OPTIONS,
    /** Not acceptable by the receive-window test (RFC 9293 §3.10.7.4), answered with an ACK. */
    TCP_OUT_OF_WINDOW,
    /** Acknowledges data never sent or too old (RFC 5961 §5.2). */
    TCP_BAD_ACK,
    /** Timestamp older than TS.Recent (PAWS, RFC 7323 §5.3). */
    TCP_PAWS,
    /** For no connection and no listener; answered with a RST unless it was one (RFC 9293 §3.10.7.1). */
    TCP_NO_CONNECTION,
    /** Data beyond RCV.NXT that the reassembly queue cannot hold (past the window, or queue full). */
    TCP_OUT_OF_ORDER,
    /** A segment in a state where RFC 9293 §3.10.7 says to drop it (no ACK bit, ACK in LISTEN ...). */
    TCP_UNEXPECTED,
    /** An ACK to a SYN cookie that does not verify (RFC 4987 §3.6). */
    TCP_BAD_COOKIE,
    /** Off the local subnet and no gateway configured. */
    NO_ROUTE,
    /** The next hop's MAC is not known yet: an ARP request went out, TCP retransmits. */
    ARP_UNRESOLVED,
    /** The link refused the frame. */
    LINK_SEND_FAILED
}
