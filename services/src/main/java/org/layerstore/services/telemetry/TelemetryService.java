// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.telemetry.metrics.Metric;
import org.layerstore.services.telemetry.metrics.MetricsSource;
import org.layerstore.services.telemetry.mqtt.MqttSession;
import org.layerstore.services.telemetry.mqtt.OutboundMessage;
import org.layerstore.services.telemetry.mqtt.StoreAndForward;
import org.layerstore.services.telemetry.publish.DiscoveryPublisher;
import org.layerstore.services.telemetry.publish.EventPublisher;
import org.layerstore.services.telemetry.publish.PayloadEncoder;
import org.layerstore.services.telemetry.publish.TelemetryPublisher;
import org.layerstore.services.telemetry.publish.TelemetryTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MQTT telemetry, assembled in layers as Eclipse Kura does: the {@link MqttSession} (connection, will,
 * reconnect) under {@link StoreAndForward} (bounded offline buffer) under the {@link PayloadEncoder}
 * under the publishers (availability, telemetry, events, Home Assistant discovery).
 */
public final class TelemetryService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryService.class);

    private final MqttSession session;
    private final StoreAndForward store;
    private final EventPublisher events;
    private final ScheduledExecutorService sampler;
    private final TelemetryTopics topics;

    private TelemetryService(MqttSession session, StoreAndForward store, EventPublisher events,
            ScheduledExecutorService sampler, TelemetryTopics topics) {
        this.session = session;
        this.store = store;
        this.events = events;
        this.sampler = sampler;
        this.topics = topics;
    }

    /**
     * Starts connecting to {@code brokerUrl} and sampling every {@code settings.intervalSeconds()}; returns at
     * once. Samples taken before the first connect wait in the offline buffer.
     *
     * @param model   the board, as Home Assistant's device model
     * @param version the appliance's version
     */
    public static TelemetryService start(MqttSettings settings, String brokerUrl, List<MetricsSource> sources,
            String model, String version) throws IOException {
        TelemetryTopics topics = new TelemetryTopics(settings.topicPrefix(), settings.deviceId(), settings.discoveryPrefix());
        MqttSession session = new MqttSession(brokerUrl, settings.clientId(),
                new MqttSession.Will(topics.availability(), bytes(TelemetryTopics.OFFLINE)), settings.username(),
                settings.password(), settings.caFile(), settings.reconnectMaxDelaySeconds());
        StoreAndForward store = new StoreAndForward(session, settings.bufferSize());
        PayloadEncoder encoder = new PayloadEncoder(settings.deviceId());
        Clock clock = Clock.systemUTC();
        DiscoveryPublisher discovery = new DiscoveryPublisher(topics, encoder, store, session, version, model,
                settings.intervalSeconds() * 3 + 5);
        List<MetricsSource> all = new ArrayList<>(sources);
        all.add(() -> List.of(
                Metric.gauge("telemetry", "buffered", store.buffered(), ""),
                Metric.counter("telemetry", "dropped", store.dropped(), ""),
                Metric.counter("telemetry", "delivered", store.delivered(), "")));
        TelemetryPublisher telemetry = new TelemetryPublisher(all, topics, encoder, store, discovery, clock);

        session.onConnected(reconnect -> {
            // Straight to the session, ahead of any backlog: the retained state must say online at once.
            try {
                session.publish(new OutboundMessage(topics.availability(), bytes(TelemetryTopics.ONLINE), 1, true));
            } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
                LOG.warn("cannot publish availability: {}", e.getMessage());
            }
            discovery.republish();
        });
        session.subscribe(topics.homeAssistantStatus(), status -> {
            if (status.strip().equals(TelemetryTopics.ONLINE)) {
                LOG.info("Home Assistant announced online: republishing discovery");
                discovery.republish();
            }
        });
        session.connect();

        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "telemetry-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> {
            try {
                telemetry.publishSample();
            } catch (RuntimeException e) {
                LOG.error("telemetry sample failed", e);
            }
        }, 0, settings.intervalSeconds(), TimeUnit.SECONDS);
        LOG.info("telemetry to {} every {} s on {}/#", brokerUrl, settings.intervalSeconds(), topics.base());
        return new TelemetryService(session, store, new EventPublisher(topics, encoder, store, clock), sampler, topics);
    }

    /** Where the services, datapath and HAL report events. */
    public TelemetryEvents events() {
        return events;
    }

    public String brokerUrl() {
        return session.brokerUrl();
    }

    /** Stops sampling, gives the buffer up to 2 s to drain, publishes retained {@code offline} and disconnects. */
    @Override
    public void close() {
        sampler.shutdownNow();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (store.buffered() > 0 && session.isConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        store.close();
        session.close(new OutboundMessage(topics.availability(), bytes(TelemetryTopics.OFFLINE), 1, true));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
