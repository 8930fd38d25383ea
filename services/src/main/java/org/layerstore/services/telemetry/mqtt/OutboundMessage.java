// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.mqtt;

/**
 * One message waiting for the broker. Identity matters, not content: two samples with equal bytes are
 * still two messages, so this is a class with identity equality and not a record.
 */
public final class OutboundMessage {

    private final String topic;
    private final byte[] payload;
    private final int qos;
    private final boolean retained;

    public OutboundMessage(String topic, byte[] payload, int qos, boolean retained) {
        if (qos < 0 || qos > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, got " + qos);
        }
        this.topic = topic;
        this.payload = payload.clone();
        this.qos = qos;
        this.retained = retained;
    }

    public String topic() {
        return topic;
    }

    public byte[] payload() {
        return payload.clone();
    }

    public int qos() {
        return qos;
    }

    public boolean retained() {
        return retained;
    }

    @Override
    public String toString() {
        return topic + " (" + payload.length + " bytes, QoS " + qos + (retained ? ", retained" : "") + ")";
    }
}
