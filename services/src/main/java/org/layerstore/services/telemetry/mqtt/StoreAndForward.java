// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.mqtt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward between the publishers and the session: every message goes into a
 * {@link BoundedMessageBuffer} and leaves it only when the broker has acknowledged it (PUBACK at QoS 1).
 * One sender thread forwards the oldest messages in order, up to {@value #WINDOW} in flight, while the
 * session is connected; a failed or unacknowledged publish stays at the head and is sent again after
 * reconnecting. Delivery is therefore at least once: after a connection loss a message may arrive twice
 * (telemetry carries a sequence number for that), but within the buffer bound none is lost.
 */
public final class StoreAndForward implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAndForward.class);
    static final int WINDOW = 32;
    private static final long ACK_TIMEOUT_MILLIS = 10_000;

    private final MqttSession session;
    private final BoundedMessageBuffer buffer;
    private final AtomicLong delivered = new AtomicLong();
    private final Thread sender;
    private volatile boolean running = true;

    public StoreAndForward(MqttSession session, int capacity) {
        this.session = session;
        this.buffer = new BoundedMessageBuffer(capacity);
        this.sender = new Thread(this::forwardLoop, "mqtt-forward");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues a message for delivery; never blocks. When the buffer is full the oldest message is dropped. */
    public void send(OutboundMessage message) {
        OutboundMessage dropped = buffer.add(message);
        if (dropped != null && (buffer.dropped() == 1 || buffer.dropped() % 1000 == 0)) {
            LOG.warn("MQTT offline buffer full ({} messages): dropped the oldest, {} dropped so far", buffer.capacity(),
                    buffer.dropped());
        }
    }

    public int buffered() {
        return buffer.size();
    }

    public long dropped() {
        return buffer.dropped();
    }

    public long delivered() {
        return delivered.get();
    }

    private void forwardLoop() {
        while (running) {
            try {
                if (!session.awaitConnected(1_000)) {
                    continue;
                }
                List<OutboundMessage> batch = buffer.peekOldest(WINDOW, 1_000);
                if (!batch.isEmpty()) {
                    forward(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Publishes a batch and removes, in order, the messages the broker acknowledged; stops at the first failure. */
    private void forward(List<OutboundMessage> batch) throws InterruptedException {
        List<IMqttToken> tokens = new ArrayList<>(batch.size());
        boolean refused = false;
        try {
            for (OutboundMessage message : batch) {
                tokens.add(session.publish(message));
            }
        } catch (MqttException e) {
            refused = true;
            LOG.debug("publish failed, will retry after reconnect: {}", MqttSession.describe(e));
        }
        for (int i = 0; i < tokens.size(); i++) {
            try {
                tokens.get(i).waitForCompletion(ACK_TIMEOUT_MILLIS);
                if (tokens.get(i).isComplete() && tokens.get(i).getException() == null) {
                    buffer.remove(batch.get(i));
                    delivered.incrementAndGet();
                    continue;
                }
            } catch (MqttException e) {
                LOG.debug("{} not acknowledged, will retry: {}", batch.get(i), MqttSession.describe(e));
            }
            // Unacknowledged: keep it and the rest of the batch for the next round, after a short pause.
            Thread.sleep(200);
            return;
        }
        if (refused) {
            // The client refused to publish (the connection is going down): pause rather than spin.
            Thread.sleep(200);
        }
    }

    /** Stops forwarding; what is still buffered is lost with the process. */
    @Override
    public void close() {
        running = false;
        buffer.close();
        sender.interrupt();
        try {
            sender.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
