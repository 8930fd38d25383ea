// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.util.function.Supplier;

/**
 * A listening port (RFC 9293 LISTEN): a bounded queue of half-open connections, and the factory of the
 * handler each established connection gets. There is no accept queue: an established connection is handed
 * to its handler at once.
 */
public final class TcpListener {

    private final int port;
    private final Supplier<TcpHandler> handlers;
    private final int synQueueLimit;
    private int synQueue;

    TcpListener(int port, Supplier<TcpHandler> handlers, int synQueueLimit) {
        this.port = port;
        this.handlers = handlers;
        this.synQueueLimit = synQueueLimit;
    }

    public int port() {
        return port;
    }

    /** Connections in SYN-RECEIVED. */
    public int synQueue() {
        return synQueue;
    }

    boolean synQueueFull() {
        return synQueue >= synQueueLimit;
    }

    void halfOpened() {
        synQueue++;
    }

    void halfOpenEnded() {
        synQueue--;
    }

    TcpHandler newHandler() {
        return handlers.get();
    }
}
