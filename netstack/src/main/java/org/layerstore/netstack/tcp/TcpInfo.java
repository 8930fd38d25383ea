// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/** One connection's state and congestion figures, as telemetry and tests read them. */
public record TcpInfo(ConnectionKey key, TcpState state, long srttMicros, long rtoMicros, long cwnd, long ssthresh,
        long sendWindow, int mss, long pinnedBytes, long retransmissions) {
}
