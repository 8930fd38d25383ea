// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.time.Duration;

/**
 * The TCP server's named limits and timers, with defaults a network engineer would expect.
 *
 * @param synQueueLimit    connections per listener in SYN-RECEIVED before SYN cookies answer (RFC 4987 §3.6)
 * @param synAckRetries    SYN-ACK retransmissions before a half-open connection is dropped
 * @param initialRto       RTO before the first RTT sample (RFC 6298 §2.1: 1 s)
 * @param minRto           floor of the RTO; RFC 6298 §2.4 says 1 s, Linux and this stack use 200 ms
 * @param maxRto           cap of the backed-off RTO (RFC 6298 §2.5 allows a maximum of at least 60 s)
 * @param maxRetransmissions consecutive RTO expiries (or zero-window probes) after which the connection is
 *                         aborted: 12, with the 60 s cap about 5 min of silence, where Linux's tcp_retries2 = 15
 *                         waits about 15 min; an appliance frees a vanished client's pinned pages sooner
 * @param delayedAck       longest an ACK is held back (RFC 9293 §3.8.6.3: under 0.5 s)
 * @param timeWait         2 MSL (RFC 9293 §3.6.1)
 * @param finWait2Timeout  how long FIN-WAIT-2 waits for the peer's FIN before closing
 * @param keepAliveIdle    idle time before the first keep-alive probe (RFC 9293 §3.8.4: at least 2 h)
 * @param keepAliveInterval time between unanswered probes
 * @param keepAliveProbes  unanswered probes before the connection is aborted
 * @param receiveWindow    bytes this side advertises
 * @param sendBufferLimit  bytes written but unacknowledged above which the application is not asked for more
 * @param minSendMss       floor for the peer's MSS option (a tiny MSS would make us send tiny segments)
 * @param minPathMss       floor for the MSS after ICMP fragmentation-needed (576-byte datagrams, RFC 1122)
 * @param windowScaling    offer window scaling (RFC 7323 §2)
 * @param timestamps       offer timestamps (RFC 7323 §3)
 * @param sack             offer SACK-permitted and recover losses from SACK information (RFC 2018, RFC 6675)
 */
public record TcpConfig(int synQueueLimit, int synAckRetries, Duration initialRto, Duration minRto, Duration maxRto,
        int maxRetransmissions, Duration delayedAck, Duration timeWait, Duration finWait2Timeout,
        Duration keepAliveIdle, Duration keepAliveInterval, int keepAliveProbes, int receiveWindow,
        long sendBufferLimit, int minSendMss, int minPathMss, boolean windowScaling, boolean timestamps,
        boolean sack) {

    public static TcpConfig defaults() {
        return new TcpConfig(128, 5, Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofSeconds(60), 12,
                Duration.ofMillis(40), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofHours(2),
                Duration.ofSeconds(75), 9, 256 * 1024, 4L * 1024 * 1024, 64, 536, true, true, true);
    }

    public TcpConfig withSynQueueLimit(int limit) {
        return new TcpConfig(limit, synAckRetries, initialRto, minRto, maxRto, maxRetransmissions, delayedAck, timeWait,
                finWait2Timeout, keepAliveIdle, keepAliveInterval, keepAliveProbes, receiveWindow, sendBufferLimit,
                minSendMss, minPathMss, windowScaling, timestamps, sack);
    }

    /**
     * These settings with the connection aborted after {@code expiries} RTO expiries (or zero-window probes)
     * in a row, the backed-off RTO capped at {@code cap}: the time a silent peer is given.
     */
    public TcpConfig withRetransmissionLimit(int expiries, Duration cap) {
        return new TcpConfig(synQueueLimit, synAckRetries, initialRto, minRto, cap, expiries, delayedAck, timeWait,
                finWait2Timeout, keepAliveIdle, keepAliveInterval, keepAliveProbes, receiveWindow, sendBufferLimit,
                minSendMss, minPathMss, windowScaling, timestamps, sack);
    }

    public TcpConfig withKeepAlive(Duration idle, Duration interval, int probes) {
        return new TcpConfig(synQueueLimit, synAckRetries, initialRto, minRto, maxRto, maxRetransmissions, delayedAck,
                timeWait, finWait2Timeout, idle, interval, probes, receiveWindow, sendBufferLimit, minSendMss,
                minPathMss, windowScaling, timestamps, sack);
    }

    public TcpConfig withSack(boolean offer) {
        return new TcpConfig(synQueueLimit, synAckRetries, initialRto, minRto, maxRto, maxRetransmissions, delayedAck,
                timeWait, finWait2Timeout, keepAliveIdle, keepAliveInterval, keepAliveProbes, receiveWindow,
                sendBufferLimit, minSendMss, minPathMss, windowScaling, timestamps, offer);
    }

    /** The window shift this side offers: the least that fits the receive window into 16 bits. */
    public int receiveWindowShift() {
        int shift = 0;
        while ((receiveWindow >>> shift) > 0xFFFF) {
            shift++;
        }
        return shift;
    }
}
