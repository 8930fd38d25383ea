// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/**
 * One connection's state and congestion figures, as telemetry and tests read them; {@code receiveWindow} is
 * the window the peer was last offered (from RCV.NXT to the advertised right edge), {@code unreadBytes} what
 * the application has queued and not read.
 */
public record TcpInfo(ConnectionKey key, TcpState state, long srttMicros, long rtoMicros, long cwnd, long ssthresh,
        long sendWindow, int mss, long pinnedBytes, long retransmissions, long receiveWindow, long unreadBytes) {
}
