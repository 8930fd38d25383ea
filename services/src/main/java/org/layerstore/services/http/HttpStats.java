// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the HTTP server, read by telemetry: requests, open connections, and errors by class
 * (4xx client errors, 5xx server errors, connections that failed at the socket). Updated from the
 * event loops without locks.
 */
public final class HttpStats {

    private final LongAdder requests = new LongAdder();
    private final AtomicLong activeConnections = new AtomicLong();
    private final LongAdder clientErrors = new LongAdder();
    private final LongAdder serverErrors = new LongAdder();
    private final LongAdder connectionErrors = new LongAdder();

    void requestReceived() {
        requests.increment();
    }

    void connectionOpened() {
        activeConnections.incrementAndGet();
    }

    void connectionClosed() {
        activeConnections.decrementAndGet();
    }

    void responseSent(int status) {
        if (status >= 500) {
            serverErrors.increment();
        } else if (status >= 400) {
            clientErrors.increment();
        }
    }

    void connectionFailed() {
        connectionErrors.increment();
    }

    public long requests() {
        return requests.sum();
    }

    public long activeConnections() {
        return activeConnections.get();
    }

    public long clientErrors() {
        return clientErrors.sum();
    }

    public long serverErrors() {
        return serverErrors.sum();
    }

    public long connectionErrors() {
        return connectionErrors.sum();
    }
}
