// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The events sink the file server is given before telemetry exists: the server listens first, so clients are
 * served while the MQTT broker and session start. Events raised meanwhile wait here (the first
 * {@value #EARLY_CAPACITY}; later ones are dropped and counted in the log of {@link #attach}) and go to the real
 * sink, in order, once it is attached; after that every event goes straight through.
 */
public final class LateBoundEvents implements TelemetryEvents {

    static final int EARLY_CAPACITY = 256;

    private final Queue<Consumer<TelemetryEvents>> early = new ArrayDeque<>();
    private int droppedEarly;
    private volatile TelemetryEvents target;

    /** Sends the events raised so far to {@code events}, then every later one; returns how many early ones were dropped. */
    public int attach(TelemetryEvents events) {
        synchronized (early) {
            for (Consumer<TelemetryEvents> event; (event = early.poll()) != null; ) {
                event.accept(events);
            }
            target = events;
            return droppedEarly;
        }
    }

    @Override
    public void upload(String share, String path, long bytes) {
        raise(e -> e.upload(share, path, bytes));
    }

    @Override
    public void uploadFailed(String share, String path, long bytes, String reason) {
        raise(e -> e.uploadFailed(share, path, bytes, reason));
    }

    @Override
    public void delete(String share, String path) {
        raise(e -> e.delete(share, path));
    }

    @Override
    public void engineFallback(String engine, String fallback, String reason) {
        raise(e -> e.engineFallback(engine, fallback, reason));
    }

    @Override
    public void dmaError(String link, String detail) {
        raise(e -> e.dmaError(link, detail));
    }

    @Override
    public void authFailure(String user, String remoteAddress) {
        raise(e -> e.authFailure(user, remoteAddress));
    }

    private void raise(Consumer<TelemetryEvents> event) {
        TelemetryEvents now = target;
        if (now != null) {
            event.accept(now);
            return;
        }
        synchronized (early) {
            if (target != null) {
                event.accept(target);
            } else if (early.size() < EARLY_CAPACITY) {
                early.add(event);
            } else {
                droppedEarly++;
            }
        }
    }
}
