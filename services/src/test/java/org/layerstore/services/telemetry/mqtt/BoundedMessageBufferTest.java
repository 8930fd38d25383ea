// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class BoundedMessageBufferTest {

    private static OutboundMessage message(int n) {
        return new OutboundMessage("t/" + n, ("sample " + n).getBytes(StandardCharsets.UTF_8), 1, false);
    }

    @Test
    void shouldDropTheOldestMessageWhenFullAndCountIt() throws Exception {
        BoundedMessageBuffer buffer = new BoundedMessageBuffer(3);
        OutboundMessage first = message(1);
        assertNull(buffer.add(first));
        assertNull(buffer.add(message(2)));
        assertNull(buffer.add(message(3)));
        assertSame(first, buffer.add(message(4)));
        assertEquals(1, buffer.dropped());
        assertEquals(List.of("t/2", "t/3", "t/4"), buffer.peekOldest(10, 0).stream().map(OutboundMessage::topic).toList());
    }

    @Test
    void shouldKeepMessagesUntilRemovedAndTellWhenOneWasDroppedMeanwhile() throws Exception {
        BoundedMessageBuffer buffer = new BoundedMessageBuffer(2);
        OutboundMessage a = message(1);
        OutboundMessage b = message(2);
        buffer.add(a);
        buffer.add(b);
        assertEquals(List.of(a), buffer.peekOldest(1, 0));
        assertEquals(2, buffer.size(), "peeking removes nothing");
        buffer.add(message(3)); // pushes out a while it is "in flight"
        assertFalse(buffer.remove(a));
        assertTrue(buffer.remove(b));
        assertEquals(1, buffer.size());
    }

    @Test
    void shouldTreatEqualContentAsDistinctMessages() {
        BoundedMessageBuffer buffer = new BoundedMessageBuffer(5);
        OutboundMessage one = message(1);
        OutboundMessage twin = message(1);
        buffer.add(one);
        buffer.add(twin);
        assertTrue(buffer.remove(twin));
        assertEquals(1, buffer.size());
    }

    @Test
    void shouldWaitForMessagesOnlyUntilTheTimeout() throws Exception {
        BoundedMessageBuffer buffer = new BoundedMessageBuffer(1);
        long start = System.nanoTime();
        assertEquals(List.of(), buffer.peekOldest(5, 200));
        assertTrue(System.nanoTime() - start >= 150_000_000L);
    }

    @Test
    void shouldRefuseAZeroCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new BoundedMessageBuffer(0));
    }
}
