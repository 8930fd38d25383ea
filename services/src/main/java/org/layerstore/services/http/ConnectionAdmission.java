// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts open connections, in all and per client address, and admits a new one only within both limits:
 * one client (a runaway sync tool, a scanner) must not hold every connection the server has. Thread-safe:
 * connections open on the acceptor thread and close on their event loops.
 */
final class ConnectionAdmission {

    /** Why a connection was refused, for the log. */
    enum Refusal { SERVER_FULL, CLIENT_FULL }

    private final int maxConnections;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

    ConnectionAdmission(int maxConnections, int maxPerClient) {
        this.maxConnections = maxConnections;
        this.maxPerClient = maxPerClient;
    }

    /** Null when {@code client} may open one more connection (then counted until {@link #closed}), else why not. */
    Refusal admit(InetAddress client) {
        if (open.incrementAndGet() > maxConnections) {
            open.decrementAndGet();
            return Refusal.SERVER_FULL;
        }
        boolean[] admitted = {false};
        perClient.compute(client, (address, count) -> {
            int now = count == null ? 0 : count;
            admitted[0] = now < maxPerClient;
            return admitted[0] ? now + 1 : count;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return Refusal.CLIENT_FULL;
        }
        return null;
    }

    /** An admitted connection of {@code client} has closed. */
    void closed(InetAddress client) {
        open.decrementAndGet();
        perClient.computeIfPresent(client, (address, count) -> count > 1 ? count - 1 : null);
    }
}
