// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

/** Events the stack counts (besides drops and connection states). */
public enum StackCounter {
    FRAMES_IN,
    FRAMES_OUT,
    SEGMENTS_IN,
    SEGMENTS_OUT,
    /** Segments sent again: RTO, fast retransmit, path MTU shrink. */
    RETRANSMISSIONS,
    FAST_RETRANSMITS,
    /** Segments received beyond RCV.NXT and held for reassembly. */
    OUT_OF_ORDER_QUEUED,
    RTO_EXPIRIES,
    CHALLENGE_ACKS,
    /** Challenge ACKs not sent: over the per-second limit (RFC 5961 §7). */
    CHALLENGE_ACKS_SUPPRESSED,
    RESETS_SENT,
    SYN_COOKIES_SENT,
    SYN_COOKIES_ACCEPTED,
    ZERO_WINDOW_PROBES,
    KEEPALIVE_PROBES,
    /** Connections ended by timeout (RTO or keep-alive exhausted) or by the application. */
    CONNECTIONS_ABORTED,
    /** Options skipped because this stack does not know them (RFC 9293 §3.1 MUST-6). */
    TCP_UNKNOWN_OPTIONS,
    /** Known options with a wrong length, skipped. */
    TCP_BAD_OPTION_LENGTHS,
    /** An MSS option below the floor, raised to it. */
    TCP_TINY_MSS,
    PATH_MTU_DECREASES,
    ARP_REQUESTS_SENT,
    ARP_REPLIES_SENT,
    ICMP_ECHO_REPLIES,
    /**
     * Received payload bytes the CPU copied: out of a link buffer that could not be kept (the packet socket's,
     * or past the kept-buffer limits), and by the application out of the kept ones (an upload's write into
     * its file: with a link that lends its buffers, the receive path's one copy).
     */
    RECEIVED_BYTES_COPIED,
    /** Received payload bytes handed to the application in the link's own receive buffers, uncopied. */
    RECEIVED_BYTES_KEPT,
    /** Sent payload bytes the CPU copied first (a heap buffer moved to native memory); file bodies never are. */
    SENT_BYTES_COPIED,
    /** File body bytes sent as references to mapped file pages. */
    FILE_BYTES_MAPPED
}
