// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * A subscriber, as an operator's MQTT tool would be: records every message it receives, with its
 * retained flag, for the tests to wait on. With {@code persistent}, its session (and the QoS 1 messages
 * queued for it) survives its own disconnection and a broker restart.
 */
public final class MqttRecorder implements AutoCloseable {

    public record Received(String topic, String payload, boolean retained, long atNanos) {
    }

    private final MqttClient client;
    private final List<Received> received = new ArrayList<>();

    public MqttRecorder(String url, String clientId, boolean persistent, String... topics) throws MqttException {
        client = new MqttClient(url, clientId, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                synchronized (received) {
                    received.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8),
                            message.isRetained(), System.nanoTime()));
                    received.notifyAll();
                }
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
                if (reconnect && !persistent) {
                    subscribeQuietly(topics);
                }
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(MosquittoBroker.USER);
        options.setPassword(MosquittoBroker.PASSWORD.getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        options.setMaxReconnectDelay(1_000); // Paho's real bound: its delay is shared by every client in the JVM

        options.setCleanStart(!persistent);
        if (persistent) {
            options.setSessionExpiryInterval(3600L);
        }
        client.connect(options);
        subscribeQuietly(topics);
    }

    private void subscribeQuietly(String... topics) {
        try {
            for (String topic : topics) {
                client.subscribe(topic, 1);
            }
        } catch (MqttException e) {
            throw new IllegalStateException("cannot subscribe to " + String.join(", ", topics), e);
        }
    }

    /** Waits until some received message matches, and returns the first one that does. */
    public Received await(Predicate<Received> match, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (received) {
            while (true) {
                for (Received r : received) {
                    if (match.test(r)) {
                        return r;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("no matching message within " + timeout + " " + unit + "; received "
                            + received.size() + ": " + topics(received));
                }
                received.wait(left);
            }
        }
    }

    /** Waits until {@code count} messages on {@code topic} have arrived, and returns them. */
    List<Received> awaitCount(String topic, int count, long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        synchronized (received) {
            while (true) {
                List<Received> matching = on(topic);
                if (matching.size() >= count) {
                    return matching;
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    throw new AssertionError("only " + matching.size() + " of " + count + " messages on " + topic
                            + " within " + timeout + " " + unit);
                }
                received.wait(left);
            }
        }
    }

    List<Received> on(String topic) {
        synchronized (received) {
            return received.stream().filter(r -> r.topic().equals(topic)).toList();
        }
    }

    List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    void publish(String topic, String payload, boolean retained) throws MqttException {
        client.publish(topic, payload.getBytes(StandardCharsets.UTF_8), 1, retained);
    }

    private static String topics(List<Received> list) {
        return list.stream().map(Received::topic).distinct().limit(20).toList().toString();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect(2_000);
        }
        client.close(true);
    }
}
