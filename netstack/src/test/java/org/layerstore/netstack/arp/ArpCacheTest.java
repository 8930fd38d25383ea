// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.arp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.MacAddress;

class ArpCacheTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Ipv4Address A = Ipv4Address.parse("192.0.2.1");
    private static final Ipv4Address B = Ipv4Address.parse("192.0.2.3");
    private static final MacAddress MAC = MacAddress.parse("02:4c:53:00:00:01");

    private final ArpCache cache = new ArpCache(60 * SECOND, SECOND, 1);

    @Test
    void anEntryExpiresAfterItsLifetime() {
        cache.learn(A, MAC, true, 0);
        assertEquals(MAC, cache.lookup(A, 59 * SECOND));
        assertNull(cache.lookup(A, 60 * SECOND));
        assertEquals(0, cache.size());
    }

    @Test
    void packetsNotForUsOnlyUpdateKnownEntries() {
        cache.learn(A, MAC, false, 0);
        assertNull(cache.lookup(A, 0), "RFC 826: merge only, no new entry");
        cache.learn(A, MAC, true, 0);
        MacAddress moved = MacAddress.parse("02:4c:53:00:00:07");
        cache.learn(A, moved, false, SECOND);
        assertEquals(moved, cache.lookup(A, SECOND));
    }

    @Test
    void requestsForOneAddressAreRateLimited() {
        assertTrue(cache.shouldRequest(A, 0));
        assertFalse(cache.shouldRequest(A, SECOND / 2));
        assertTrue(cache.shouldRequest(A, SECOND));
    }

    @Test
    void aFullCacheMakesRoomOnlyFromExpiredEntries() {
        cache.learn(A, MAC, true, 0);
        cache.learn(B, MAC, true, SECOND);
        assertNull(cache.lookup(B, SECOND), "full of a live entry");
        cache.learn(B, MAC, true, 61 * SECOND);
        assertEquals(MAC, cache.lookup(B, 61 * SECOND));
    }
}
