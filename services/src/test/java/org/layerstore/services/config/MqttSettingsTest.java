// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MqttSettingsTest {

    @TempDir
    Path dir;

    /** The mqtt section of a configuration file with this text. */
    private MqttSettings mqtt(String yaml) throws Exception {
        return new ConfigLoader().load(Files.writeString(dir.resolve("layerstore.yaml"), yaml)).mqtt();
    }

    @Test
    void shouldDefaultToTheEmbeddedBrokerWithDefaultsInCode() throws Exception {
        MqttSettings mqtt = mqtt("http:\n  port: 8080\n");
        assertTrue(mqtt.enabled());
        assertTrue(mqtt.usesEmbeddedBroker());
        assertNull(mqtt.broker());
        assertEquals("layerstore", mqtt.topicPrefix());
        assertEquals(10, mqtt.intervalSeconds());
        assertEquals(10_000, mqtt.bufferSize());
        assertEquals("layerstore-" + mqtt.deviceId(), mqtt.clientId());
        assertEquals(1883, mqtt.embedded().port());
        assertEquals(8083, mqtt.embedded().websocketPort());
    }

    @Test
    void shouldReadEveryMqttSetting() throws Exception {
        MqttSettings mqtt = mqtt("""
                mqtt:
                  broker: ssl://broker.example:8883
                  username: appliance
                  password: pw
                  caFile: /etc/layerstore/ca.pem
                  deviceId: ls-01
                  clientId: ls-01-telemetry
                  topicPrefix: site/a/storage
                  intervalSeconds: 5
                  bufferSize: 500
                  reconnectMaxDelaySeconds: 60
                  discoveryPrefix: ha
                  dashboardBroker: wss://broker.example/mqtt
                """);
        assertFalse(mqtt.usesEmbeddedBroker());
        assertEquals("ssl://broker.example:8883", mqtt.broker());
        assertEquals(Path.of("/etc/layerstore/ca.pem"), mqtt.caFile());
        assertEquals("ls-01-telemetry", mqtt.clientId());
        assertEquals("site/a/storage", mqtt.topicPrefix());
        assertEquals(5, mqtt.intervalSeconds());
        assertEquals(500, mqtt.bufferSize());
        assertEquals(60, mqtt.reconnectMaxDelaySeconds());
        assertEquals("ha", mqtt.discoveryPrefix());
        assertEquals("wss://broker.example/mqtt", mqtt.dashboardBroker());
    }

    @Test
    void shouldNameTheSettingThatIsWrong() {
        assertEquals("mqtt.broker must be tcp://HOST[:PORT], ssl://HOST[:PORT], ws://HOST[:PORT]/PATH or wss://HOST[:PORT]/PATH, "
                + "got 'http://x'", message("mqtt:\n  broker: http://x\n"));
        assertTrue(message("mqtt:\n  topicPrefix: a/#\n").contains("mqtt.topicPrefix"));
        assertTrue(message("mqtt:\n  deviceId: 'a b'\n").contains("mqtt.deviceId"));
        assertTrue(message("mqtt:\n  intervalSeconds: 0\n").contains("mqtt.intervalSeconds must be at least 1"));
        assertTrue(message("mqtt:\n  password: x\n").contains("without mqtt.username"));
        assertTrue(message("mqtt:\n  brokr: tcp://x\n").contains("brokr"));
        assertTrue(message("mqtt:\n  embedded:\n    port: 70000\n").contains("mqtt.embedded.port"));
    }

    private String message(String yaml) {
        return assertThrows(ConfigException.class, () -> mqtt(yaml)).getMessage().replaceFirst("^.*layerstore.yaml: ", "");
    }
}
