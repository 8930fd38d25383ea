// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.layerstore.services.telemetry.metrics.Metric;
import org.layerstore.services.telemetry.mqtt.MqttSession;
import org.layerstore.services.telemetry.mqtt.OutboundMessage;
import org.layerstore.services.telemetry.mqtt.StoreAndForward;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Home Assistant MQTT discovery: one retained config per sensor under
 * {@code <discovery-prefix>/sensor/<device-id>/<object-id>/config}, all sharing one device block, reading
 * their state from the telemetry topic and their availability from the availability topic. Published
 * after every connect, whenever the set of values changes (an engine appears; a sensor whose value is gone
 * is removed with an empty config), and when Home Assistant announces {@code online} on its status topic
 * after a restart.
 */
public final class DiscoveryPublisher {

    private final TelemetryTopics topics;
    private final PayloadEncoder encoder;
    private final StoreAndForward store;
    private final MqttSession session;
    private final String version;
    private final String model;
    private final int expireAfterSeconds;
    private List<Metric> lastMetrics = List.of();
    private Set<String> publishedKeys = Set.of();
    /** Object ids with a retained config at the broker, so that one whose value is gone can be removed. */
    private Set<String> publishedObjectIds = Set.of();

    /**
     * @param expireAfterSeconds after how long without a sample Home Assistant shows the values as unavailable
     */
    public DiscoveryPublisher(TelemetryTopics topics, PayloadEncoder encoder, StoreAndForward store, MqttSession session,
            String version, String model, int expireAfterSeconds) {
        this.topics = topics;
        this.encoder = encoder;
        this.store = store;
        this.session = session;
        this.version = version;
        this.model = model;
        this.expireAfterSeconds = expireAfterSeconds;
    }

    /** Called with every sample: publishes the configs when the set of values has changed. */
    public synchronized void sampled(List<Metric> metrics) {
        lastMetrics = List.copyOf(metrics);
        Set<String> keys = new LinkedHashSet<>();
        metrics.forEach(m -> keys.add(m.key()));
        if (!keys.equals(publishedKeys) && session.isConnected()) {
            publishAll();
        }
    }

    /** Publishes every known sensor's config again (after a connect, or when Home Assistant restarts). */
    public synchronized void republish() {
        if (!lastMetrics.isEmpty()) {
            publishAll();
        }
    }

    private void publishAll() {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> objectIds = new LinkedHashSet<>();
        for (Metric metric : lastMetrics) {
            store.send(new OutboundMessage(topics.discoveryConfig(objectId(metric)), encoder.object(config(metric)), 1, true));
            keys.add(metric.key());
            objectIds.add(objectId(metric));
        }
        for (String gone : publishedObjectIds) {
            if (!objectIds.contains(gone)) {
                // An empty retained config is how Home Assistant is told to remove the sensor.
                store.send(new OutboundMessage(topics.discoveryConfig(gone), new byte[0], 1, true));
            }
        }
        publishedKeys = keys;
        publishedObjectIds = objectIds;
    }

    /** The config of one sensor; docs/telemetry.md lists the fields. */
    ObjectNode config(Metric metric) {
        ObjectNode config = encoder.newObject();
        config.put("name", label(metric));
        config.put("unique_id", "layerstore_" + topics.deviceId() + "_" + objectId(metric));
        config.put("state_topic", topics.telemetry());
        config.put("value_template",
                "{{ value_json.metrics['" + metric.group() + "']['" + metric.name() + "'].value }}");
        config.put("availability_topic", topics.availability());
        config.put("payload_available", TelemetryTopics.ONLINE);
        config.put("payload_not_available", TelemetryTopics.OFFLINE);
        if (!metric.unit().isEmpty()) {
            config.put("unit_of_measurement", metric.unit());
        }
        String deviceClass = deviceClass(metric.unit());
        if (deviceClass != null) {
            config.put("device_class", deviceClass);
        }
        switch (metric.kind()) {
            case GAUGE -> config.put("state_class", "measurement");
            case COUNTER -> config.put("state_class", "total_increasing");
            case INFO -> config.put("entity_category", "diagnostic");
        }
        config.put("expire_after", expireAfterSeconds);
        ObjectNode device = config.putObject("device");
        device.putArray("identifiers").add("layerstore_" + topics.deviceId());
        device.put("name", "Layerstore " + topics.deviceId());
        device.put("manufacturer", "Layerstore");
        device.put("model", model);
        device.put("sw_version", version);
        ObjectNode origin = config.putObject("origin");
        origin.put("name", "Layerstore");
        origin.put("sw_version", version);
        return config;
    }

    /** {@code engine.sendfile/throughput} becomes {@code engine_sendfile_throughput}. */
    static String objectId(Metric metric) {
        return (metric.group() + "_" + metric.name()).replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** {@code engine.sendfile/cpu_copied_bytes} becomes {@code Engine sendfile cpu copied bytes}. */
    static String label(Metric metric) {
        String text = (metric.group() + " " + metric.name()).replace('.', ' ').replace('_', ' ');
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Home Assistant's device class for a unit, where one fits. */
    static String deviceClass(String unit) {
        return switch (unit) {
            case "B" -> "data_size";
            case "B/s" -> "data_rate";
            case "°C" -> "temperature";
            case "s" -> "duration";
            default -> null;
        };
    }
}
