// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.telemetry.broker.EmbeddedBroker;
import org.layerstore.services.telemetry.metrics.Metric;

/** The telemetry service against the embedded broker, watched by a Paho client. */
class TelemetryServiceTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldRemoveTheDiscoveryConfigOfAValueThatIsGoneAndSayOfflineOnACleanStop() throws Exception {
        AtomicBoolean engineGone = new AtomicBoolean();
        Map<String, String> retained = new ConcurrentHashMap<>();
        MqttSettings settings = new MqttSettings(true, null, null, null, null, "unit", null, "t", 1, 100, 2, null, null,
                null);
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, 0)) {
            MqttClient watcher = new MqttClient(broker.mqttUrl(), "watcher", new MemoryPersistence());
            watcher.connect(new MqttConnectionOptions());
            org.eclipse.paho.mqttv5.client.IMqttMessageListener record =
                    (topic, m) -> retained.put(topic, new String(m.getPayload(), StandardCharsets.UTF_8));
            // Paho 1.2.5's subscribe(String[], int[], listeners) recurses forever; the MqttSubscription form works.
            watcher.subscribe(new MqttSubscription[] {new MqttSubscription("homeassistant/#", 1),
                new MqttSubscription("t/unit/availability", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {record, record});
            String engineConfig = "homeassistant/sensor/unit/engine_copy_bytes/config";
            TelemetryService service = TelemetryService.start(settings, broker.mqttUrl(), List.of(() -> engineGone.get()
                    ? List.of(Metric.gauge("system", "cpu_load", 1.0, "%"))
                    : List.of(Metric.gauge("system", "cpu_load", 1.0, "%"), Metric.counter("engine.copy", "bytes", 5, "B"))),
                    "test board", "1.0");
            try {
                awaitValue(retained, engineConfig, v -> v.contains("\"unique_id\":\"layerstore_unit_engine_copy_bytes\""));
                assertEquals("online", awaitValue(retained, "t/unit/availability", v -> v.equals("online")));
                engineGone.set(true);
                awaitValue(retained, engineConfig, String::isEmpty);
                assertTrue(retained.get("homeassistant/sensor/unit/system_cpu_load/config").contains("\"unit_of_measurement\":\"%\""),
                        "the value still there keeps its config");
            } finally {
                service.close();
            }
            assertEquals("offline", awaitValue(retained, "t/unit/availability", v -> v.equals("offline")));
            watcher.disconnect();
            watcher.close();
        }
    }

    private static String awaitValue(Map<String, String> values, String topic, java.util.function.Predicate<String> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String v = values.get(topic);
            if (v != null && ok.test(v)) {
                return v;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(topic + " never got the expected payload; last: " + values.get(topic));
    }
}
