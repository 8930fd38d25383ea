// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT connection: one Paho v5 client with a retained will, automatic reconnect with a bounded
 * back-off, optional TLS trust and credentials. Paho reconnects only after a first successful connect,
 * so the first connect is retried here with the same back-off.
 *
 * <p>The session carries no queue: {@link #publish} fails while disconnected, and
 * {@link StoreAndForward} keeps what must not be lost. Listeners run on Paho's callback thread and must
 * not block.
 */
public final class MqttSession {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSession.class);
    static final int FIRST_RETRY_SECONDS = 1;

    /** The will, registered with the broker at every connect. */
    public record Will(String topic, byte[] payload) {
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String brokerUrl;
    private final int maxDelaySeconds;
    private final ScheduledExecutorService retries;
    private final List<Consumer<Boolean>> connectListeners = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<String>> topicHandlers = new ConcurrentHashMap<>();
    private final Object stateLock = new Object();
    private boolean connected;
    private volatile boolean closed;
    private int nextRetrySeconds = FIRST_RETRY_SECONDS;

    /**
     * @param brokerUrl       tcp://, ssl://, ws:// or wss:// URL
     * @param clientId        the MQTT client id
     * @param will            published by the broker when this client disappears without a clean disconnect
     * @param username        user name, or null for anonymous
     * @param password        password, or null
     * @param caFile          PEM CA certificates trusted for TLS, or null for the JVM's trust store
     * @param maxDelaySeconds upper bound of the reconnect back-off
     */
    public MqttSession(String brokerUrl, String clientId, Will will, String username, String password, Path caFile,
            int maxDelaySeconds) throws IOException {
        this.brokerUrl = brokerUrl;
        this.maxDelaySeconds = maxDelaySeconds;
        try {
            this.client = new MqttAsyncClient(brokerUrl, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IOException("cannot create the MQTT client for " + brokerUrl + ": " + e.getMessage(), e);
        }
        options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(FIRST_RETRY_SECONDS, maxDelaySeconds);
        // Paho 1.2.5 doubles its reconnect delay while it is below maxReconnectDelay (in ms, default 128 s) and
        // ignores the maximum above; half the bound keeps every delay within it.
        options.setMaxReconnectDelay(Math.max(FIRST_RETRY_SECONDS * 1000, maxDelaySeconds * 1000 / 2));
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        MqttMessage willMessage = new MqttMessage(will.payload());
        willMessage.setQos(1);
        willMessage.setRetained(true);
        options.setWill(will.topic(), willMessage);
        if (username != null) {
            options.setUserName(username);
            if (password != null) {
                options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (caFile != null) {
            options.setSocketFactory(trusting(caFile).getSocketFactory());
        }
        client.setCallback(new Callback());
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-connect");
            t.setDaemon(true);
            return t;
        });
    }

    /** Calls {@code listener} after every successful connect, with true when it was a reconnect. */
    public void onConnected(Consumer<Boolean> listener) {
        connectListeners.add(listener);
    }

    /** Subscribes to {@code topic} (QoS 1) at every connect and hands its messages, as text, to {@code handler}. */
    public void subscribe(String topic, Consumer<String> handler) {
        topicHandlers.put(topic, handler);
    }

    /** Starts connecting in the background; returns at once. */
    public void connect() {
        retries.execute(this::attemptFirstConnect);
    }

    private void attemptFirstConnect() {
        if (closed) {
            return;
        }
        try {
            client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(15));
        } catch (MqttException e) {
            int delay;
            synchronized (stateLock) {
                delay = nextRetrySeconds;
                nextRetrySeconds = Math.min(nextRetrySeconds * 2, maxDelaySeconds);
            }
            LOG.warn("cannot connect to MQTT broker {}: {}; retrying in {} s", brokerUrl, describe(e), delay);
            if (!closed) {
                retries.schedule(this::attemptFirstConnect, delay, TimeUnit.SECONDS);
            }
        }
    }

    public boolean isConnected() {
        synchronized (stateLock) {
            return connected;
        }
    }

    /** Waits up to {@code millis} for the session to be connected; true if it is. */
    public boolean awaitConnected(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (stateLock) {
            while (!connected && !closed) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                stateLock.wait(left);
            }
            return connected;
        }
    }

    /** Publishes now; fails with an MqttException while disconnected. The token completes on the broker's ack. */
    public IMqttToken publish(OutboundMessage message) throws MqttException {
        MqttMessage m = new MqttMessage(message.payload());
        m.setQos(message.qos());
        m.setRetained(message.retained());
        return client.publish(message.topic(), m);
    }

    public String brokerUrl() {
        return brokerUrl;
    }

    /**
     * Publishes {@code last} (the retained {@code offline}) and disconnects cleanly; the will is not sent on a
     * clean disconnect, which is why {@code last} is published first.
     */
    public void close(OutboundMessage last) {
        closed = true;
        retries.shutdownNow();
        try {
            if (client.isConnected()) {
                publish(last).waitForCompletion(5_000);
                client.disconnect(5_000).waitForCompletion(6_000);
            }
        } catch (MqttException e) {
            LOG.warn("MQTT disconnect from {} was not clean: {}", brokerUrl, describe(e));
        }
        try {
            client.close(true);
        } catch (MqttException e) {
            LOG.debug("closing the MQTT client: {}", describe(e));
        }
        synchronized (stateLock) {
            connected = false;
            stateLock.notifyAll();
        }
    }

    static String describe(MqttException e) {
        Throwable cause = e.getCause();
        return e.getMessage() + " (reason " + e.getReasonCode() + ")" + (cause == null ? "" : ": " + cause);
    }

    private static SSLContext trusting(Path caFile) throws IOException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IOException("mqtt.caFile " + caFile + " holds no PEM certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("mqtt.caFile " + caFile + ": " + e.getMessage(), e);
        }
    }

    private final class Callback implements MqttCallback {

        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            LOG.info("MQTT {} to {}", reconnect ? "reconnected" : "connected", serverUri);
            synchronized (stateLock) {
                connected = true;
                nextRetrySeconds = FIRST_RETRY_SECONDS;
                stateLock.notifyAll();
            }
            for (String topic : topicHandlers.keySet()) {
                try {
                    client.subscribe(topic, 1);
                } catch (MqttException e) {
                    LOG.warn("cannot subscribe to {}: {}", topic, describe(e));
                }
            }
            for (Consumer<Boolean> listener : connectListeners) {
                listener.accept(reconnect);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            synchronized (stateLock) {
                connected = false;
                stateLock.notifyAll();
            }
            if (!closed) {
                LOG.warn("MQTT connection to {} lost ({}); reconnecting with back-off up to {} s", brokerUrl,
                        response.getReasonString() != null ? response.getReasonString()
                                : String.valueOf(response.getException()), maxDelaySeconds);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warn("MQTT error from {}: {}", brokerUrl, describe(exception));
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            Consumer<String> handler = topicHandlers.get(topic);
            if (handler != null) {
                handler.accept(new String(message.getPayload(), StandardCharsets.UTF_8));
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
            // Completion is observed on each publish's token by StoreAndForward.
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
            // Enhanced authentication is not used.
        }
    }
}
