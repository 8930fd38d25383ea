// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.lang.foreign.MemorySegment;

/**
 * The application side of one connection. All calls come on the stack's event-loop thread; a handler may
 * write to, close or abort its connection from any of them.
 */
public interface TcpHandler {

    /** The handshake completed. */
    default void onOpen(TcpConnection connection) {
    }

    /** In-order bytes from the peer; {@code data} is valid only during the call. */
    void onData(TcpConnection connection, MemorySegment data);

    /** Acknowledged data freed room below the send-buffer limit: write more. */
    default void onWritable(TcpConnection connection) {
    }

    /** The peer sent FIN: it sends no more, but may still receive. */
    default void onPeerClosed(TcpConnection connection) {
    }

    /** The connection is gone; its payload pieces are released. */
    default void onClosed(TcpConnection connection, CloseReason reason) {
    }
}
