// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/** How a connection ended. */
public enum CloseReason {
    /** Both FINs exchanged and acknowledged. */
    NORMAL,
    /** The peer sent an acceptable RST. */
    RESET_BY_PEER,
    /** Retransmissions (or keep-alive probes) went unanswered too often. */
    TIMEOUT,
    /** The application aborted it; a RST went out. */
    ABORTED
}
