// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

import org.layerstore.services.telemetry.TelemetryEvents;
import org.layerstore.services.telemetry.mqtt.OutboundMessage;
import org.layerstore.services.telemetry.mqtt.StoreAndForward;

/** Encodes events and queues them (QoS 1, not retained) through store-and-forward. */
public final class EventPublisher implements TelemetryEvents {

    /** Storm-prone events: at most this many per window each, the rest counted. */
    static final int BURST = 5;
    static final long WINDOW_MILLIS = 60_000;

    private final TelemetryTopics topics;
    private final PayloadEncoder encoder;
    private final StoreAndForward store;
    private final Clock clock;
    private final EventRateLimiter authFailures;
    private final EventRateLimiter dmaErrors;

    public EventPublisher(TelemetryTopics topics, PayloadEncoder encoder, StoreAndForward store, Clock clock) {
        this.topics = topics;
        this.encoder = encoder;
        this.store = store;
        this.clock = clock;
        this.authFailures = new EventRateLimiter(BURST, WINDOW_MILLIS, clock::millis);
        this.dmaErrors = new EventRateLimiter(BURST, WINDOW_MILLIS, clock::millis);
    }

    @Override
    public void upload(String share, String path, long bytes) {
        publish("upload", fields("share", share, "path", path, "bytes", bytes));
    }

    @Override
    public void uploadFailed(String share, String path, long bytes, String reason) {
        publish("upload_failed", fields("share", share, "path", path, "bytes", bytes, "reason", reason));
    }

    @Override
    public void delete(String share, String path) {
        publish("delete", fields("share", share, "path", path));
    }

    @Override
    public void engineFallback(String engine, String fallback, String reason) {
        publish("engine_fallback", fields("engine", engine, "fallback", fallback, "reason", reason));
    }

    @Override
    public void dmaError(String link, String detail) {
        limited(dmaErrors, "dma_error", fields("link", link, "detail", detail));
    }

    @Override
    public void authFailure(String user, String remoteAddress) {
        limited(authFailures, "auth_failure", fields("user", user, "remote", remoteAddress));
    }

    private void limited(EventRateLimiter limiter, String type, Map<String, Object> fields) {
        EventRateLimiter.Decision decision = limiter.next();
        if (decision.send()) {
            fields.put("suppressed", decision.suppressedBefore());
            publish(type, fields);
        }
    }

    private void publish(String type, Map<String, Object> fields) {
        byte[] payload = encoder.event(type, clock.instant().truncatedTo(ChronoUnit.MILLIS), fields);
        store.send(new OutboundMessage(topics.event(type), payload, 1, false));
    }

    private static Map<String, Object> fields(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1] == null ? "" : keysAndValues[i + 1]);
        }
        return map;
    }
}
