// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.mqtt;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The messages not yet acknowledged by the broker, oldest first, at most {@code capacity} of them. A new
 * message that finds the buffer full pushes out the oldest one, which is counted as dropped: under a long
 * outage the newest samples are the ones worth keeping. Thread-safe.
 */
public final class BoundedMessageBuffer {

    private final int capacity;
    private final ArrayDeque<OutboundMessage> messages;
    private long dropped;
    private boolean closed;

    public BoundedMessageBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
        this.messages = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** Appends {@code message}; returns the message dropped to make room, or null. */
    public synchronized OutboundMessage add(OutboundMessage message) {
        OutboundMessage droppedMessage = null;
        if (messages.size() == capacity) {
            droppedMessage = messages.pollFirst();
            dropped++;
        }
        messages.addLast(message);
        notifyAll();
        return droppedMessage;
    }

    /**
     * Waits up to {@code timeoutMillis} for messages, then returns up to {@code max} of the oldest without
     * removing them; empty on timeout or once closed.
     */
    public synchronized List<OutboundMessage> peekOldest(int max, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (messages.isEmpty() && !closed) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<OutboundMessage> oldest = new ArrayList<>(Math.min(max, messages.size()));
        Iterator<OutboundMessage> it = messages.iterator();
        while (it.hasNext() && oldest.size() < max) {
            oldest.add(it.next());
        }
        return oldest;
    }

    /** Removes a delivered message; false when it had been dropped meanwhile. */
    public synchronized boolean remove(OutboundMessage message) {
        Iterator<OutboundMessage> it = messages.iterator();
        while (it.hasNext()) {
            if (it.next() == message) {
                it.remove();
                return true;
            }
        }
        return false;
    }

    public synchronized int size() {
        return messages.size();
    }

    public int capacity() {
        return capacity;
    }

    /** How many messages were pushed out unsent since the buffer was created. */
    public synchronized long dropped() {
        return dropped;
    }

    /** Wakes waiting readers; nothing is removed. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
