// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.broker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EmbeddedBrokerTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void shouldSpeakMqtt5OverTcpAndMqttOverWebSocket() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start("127.0.0.1", 0, 0)) {
            MqttClient publisher = new MqttClient(broker.mqttUrl(), "tcp-publisher", new MemoryPersistence());
            publisher.connect(new MqttConnectionOptions()); // Paho's v5 client: the CONNECT is MQTT 5
            byte[] payload = "online".getBytes(StandardCharsets.UTF_8);
            publisher.publish("lab/x/availability", payload, 1, true);
            publisher.disconnect();
            publisher.close();

            String websocket = "ws://127.0.0.1:" + broker.websocketPort() + EmbeddedBroker.WEBSOCKET_PATH;
            MqttClient browserLike = new MqttClient(websocket, "ws-subscriber", new MemoryPersistence());
            browserLike.connect(new MqttConnectionOptions());
            CompletableFuture<MqttMessage> received = new CompletableFuture<>();
            browserLike.subscribe(new MqttSubscription[] {new MqttSubscription("lab/+/availability", 1)},
                    new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> received.complete(message)});
            MqttMessage message = received.get(20, TimeUnit.SECONDS);
            assertArrayEquals(payload, message.getPayload());
            assertTrue(message.isRetained(), "retained messages are kept by the embedded broker");
            browserLike.disconnect();
            browserLike.close();
        }
    }

    @Test
    void shouldRefuseToStartOnAPortInUseAndSaySo() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                    () -> EmbeddedBroker.start("127.0.0.1", taken.getLocalPort(), 0).close());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort() + " is in use (mqtt.embedded.port)"),
                    e.getMessage());
        }
    }

    @Test
    void shouldNeverSendUsageStatisticsAndKeepSessionsInMemory() {
        String xml = EmbeddedBroker.configXml("0.0.0.0", 1883, 8083);
        assertTrue(xml.contains("<anonymous-usage-statistics>\n    <enabled>false</enabled>"), xml);
        assertTrue(xml.contains("<mode>in-memory</mode>"), xml);
        assertEquals(2, xml.split("<bind-address>0.0.0.0</bind-address>").length - 1);
        assertTrue(xml.contains("<path>/mqtt</path>"));
    }
}
