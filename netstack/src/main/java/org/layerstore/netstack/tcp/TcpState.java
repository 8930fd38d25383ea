// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/**
 * The connection states of RFC 9293 §3.3.2 that a server passes through. SYN-SENT is absent: this stack
 * does not open connections. LISTEN is the state of a {@link TcpListener} (counted once per listening
 * port), not of a connection.
 */
public enum TcpState {
    LISTEN,
    SYN_RECEIVED,
    ESTABLISHED,
    /** The peer sent FIN; we may still send. */
    CLOSE_WAIT,
    /** We sent FIN after the peer's: waiting for its ACK. */
    LAST_ACK,
    /** We closed first and sent FIN. */
    FIN_WAIT_1,
    /** Our FIN is acknowledged; waiting for the peer's. */
    FIN_WAIT_2,
    /** Both sent FIN at once; waiting for the ACK of ours. */
    CLOSING,
    /** Closed; lingering 2 MSL so late segments of this connection cannot hit a new one (RFC 9293 §3.6.1). */
    TIME_WAIT,
    CLOSED;

    /** States in which this side may still send new data. */
    public boolean canSendData() {
        return this == ESTABLISHED || this == CLOSE_WAIT;
    }

    /** States in which segments (data, FIN, retransmissions) may go out. */
    public boolean transmits() {
        return this == ESTABLISHED || this == CLOSE_WAIT || this == FIN_WAIT_1 || this == CLOSING
                || this == LAST_ACK;
    }

    /** States in which the peer's data is still delivered (RFC 9293 §3.10.7.4, seventh check). */
    public boolean receivesData() {
        return this == ESTABLISHED || this == FIN_WAIT_1 || this == FIN_WAIT_2;
    }
}
