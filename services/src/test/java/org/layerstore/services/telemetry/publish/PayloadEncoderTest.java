// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.layerstore.services.telemetry.metrics.Metric;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

class PayloadEncoderTest {

    private final JsonMapper json = JsonMapper.builder().build();
    private final PayloadEncoder encoder = new PayloadEncoder("ls1");

    @Test
    void shouldEncodeASampleGroupedWithUnitsAndTheSchemaVersion() throws Exception {
        Instant at = Instant.parse("2026-11-23T10:00:00.125Z");
        byte[] payload = encoder.sample(new Sample(7, at, List.of(
                Metric.gauge("system", "cpu_load", 12.5, "%"),
                Metric.counter("engine.sendfile", "bytes", 1L << 40, "B"),
                Metric.counter("http", "requests", 3, ""),
                Metric.info("system", "version", "1.2.3"))));
        JsonNode root = json.readTree(payload);
        assertEquals(1, root.get("schema").asInt());
        assertEquals("ls1", root.get("device").asText());
        assertEquals("2026-11-23T10:00:00.125Z", root.get("timestamp").asText());
        assertEquals(7, root.get("sequence").asLong());
        JsonNode m = root.get("metrics");
        assertEquals(12.5, m.get("system").get("cpu_load").get("value").asDouble());
        assertEquals("%", m.get("system").get("cpu_load").get("unit").asText());
        assertEquals(1L << 40, m.get("engine.sendfile").get("bytes").get("value").asLong());
        assertEquals("B", m.get("engine.sendfile").get("bytes").get("unit").asText());
        assertFalse(m.get("http").get("requests").has("unit"), "a plain count has no unit");
        assertEquals("1.2.3", m.get("system").get("version").get("value").asText());
    }

    @Test
    void shouldEncodeAnEventWithItsTypeAndFields() throws Exception {
        JsonNode event = json.readTree(encoder.event("delete", Instant.EPOCH, Map.of("share", "files", "path", "/a")));
        assertEquals("delete", event.get("type").asText());
        assertEquals("/a", event.get("path").asText());
        assertEquals(1, event.get("schema").asInt());
    }
}
