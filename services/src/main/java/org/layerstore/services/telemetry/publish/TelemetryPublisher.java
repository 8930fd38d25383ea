// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.layerstore.services.telemetry.metrics.Metric;
import org.layerstore.services.telemetry.metrics.MetricsSource;
import org.layerstore.services.telemetry.mqtt.OutboundMessage;
import org.layerstore.services.telemetry.mqtt.StoreAndForward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every metrics source once per interval and queues the sample (QoS 1, retained, so that a dashboard
 * opened later sees the latest values at once) on the telemetry topic.
 */
public final class TelemetryPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TelemetryPublisher.class);

    private final List<MetricsSource> sources;
    private final TelemetryTopics topics;
    private final PayloadEncoder encoder;
    private final StoreAndForward store;
    private final DiscoveryPublisher discovery;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();

    public TelemetryPublisher(List<MetricsSource> sources, TelemetryTopics topics, PayloadEncoder encoder,
            StoreAndForward store, DiscoveryPublisher discovery, Clock clock) {
        this.sources = List.copyOf(sources);
        this.topics = topics;
        this.encoder = encoder;
        this.store = store;
        this.discovery = discovery;
        this.clock = clock;
    }

    /** Takes one sample and queues it. A source that fails is left out of this sample and logged. */
    public void publishSample() {
        List<Metric> metrics = new ArrayList<>();
        for (MetricsSource source : sources) {
            try {
                metrics.addAll(source.sample());
            } catch (RuntimeException e) {
                LOG.warn("metrics source {} failed, left out of this sample: {}", source.getClass().getSimpleName(),
                        e.toString());
            }
        }
        Sample sample = new Sample(sequence.incrementAndGet(), clock.instant().truncatedTo(ChronoUnit.MILLIS), metrics);
        discovery.sampled(metrics);
        store.send(new OutboundMessage(topics.telemetry(), encoder.sample(sample), 1, true));
    }
}
