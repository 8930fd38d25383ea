// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import java.time.Instant;
import java.util.Map;

import org.layerstore.services.telemetry.metrics.Metric;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON payloads, schema version {@value #SCHEMA_VERSION} (docs/telemetry.md). A consumer checks
 * {@code schema}: fields are only added within a version; renaming or removing one raises it.
 *
 * <pre>{"schema":1,"device":"ls1046a","timestamp":"2026-11-23T10:00:00.000Z","sequence":42,
 *  "metrics":{"system":{"cpu_load":{"value":12.5,"unit":"%"}, ...}, "http":{...}}}</pre>
 */
public final class PayloadEncoder {

    public static final int SCHEMA_VERSION = 1;

    private final ObjectMapper json = JsonMapper.builder().build();
    private final String deviceId;

    public PayloadEncoder(String deviceId) {
        this.deviceId = deviceId;
    }

    public byte[] sample(Sample sample) {
        ObjectNode root = header(sample.timestamp());
        root.put("sequence", sample.sequence());
        ObjectNode metrics = root.putObject("metrics");
        for (Metric m : sample.metrics()) {
            ObjectNode group = metrics.has(m.group()) ? (ObjectNode) metrics.get(m.group()) : metrics.putObject(m.group());
            ObjectNode value = group.putObject(m.name());
            switch (m.value()) {
                case String s -> value.put("value", s);
                case Long l -> value.put("value", l);
                case Integer i -> value.put("value", i);
                case Number n -> value.put("value", n.doubleValue());
                default -> throw new IllegalArgumentException("metric " + m.key() + " has a " + m.value().getClass());
            }
            if (!m.unit().isEmpty()) {
                value.put("unit", m.unit());
            }
        }
        return bytes(root);
    }

    /** An event: its type, and fields of text or numbers. */
    public byte[] event(String type, Instant timestamp, Map<String, Object> fields) {
        ObjectNode root = header(timestamp);
        root.put("type", type);
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            root.putPOJO(field.getKey(), field.getValue());
        }
        return bytes(root);
    }

    /** Any JSON object, for discovery configs. */
    public byte[] object(ObjectNode node) {
        return bytes(node);
    }

    public ObjectNode newObject() {
        return json.createObjectNode();
    }

    private ObjectNode header(Instant timestamp) {
        ObjectNode root = json.createObjectNode();
        root.put("schema", SCHEMA_VERSION);
        root.put("device", deviceId);
        root.put("timestamp", timestamp.toString());
        return root;
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a telemetry payload", e);
        }
    }
}
