// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.arp;

import java.util.HashMap;
import java.util.Map;

import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.MacAddress;

/**
 * IPv4 to MAC translations learnt from ARP (RFC 826), each valid for a lifetime, with a bounded size. A
 * lookup of a missing or expired address says that a request should go out, at most once per
 * {@code retryNanos} per address, so a burst of segments to an unresolved peer sends one request.
 */
public final class ArpCache {

    private record Entry(MacAddress mac, long expiresAt) {
    }

    private final Map<Ipv4Address, Entry> entries = new HashMap<>();
    private final Map<Ipv4Address, Long> lastRequest = new HashMap<>();
    private final long lifetimeNanos;
    private final long retryNanos;
    private final int capacity;

    public ArpCache(long lifetimeNanos, long retryNanos, int capacity) {
        this.lifetimeNanos = lifetimeNanos;
        this.retryNanos = retryNanos;
        this.capacity = capacity;
    }

    /** The MAC of {@code address}, or null when unknown or expired. */
    public MacAddress lookup(Ipv4Address address, long now) {
        Entry e = entries.get(address);
        if (e == null) {
            return null;
        }
        if (e.expiresAt - now <= 0) {
            entries.remove(address);
            return null;
        }
        return e.mac;
    }

    /**
     * RFC 826 "merge": updates the entry of {@code address} if it has one; adds it when {@code create}
     * (the packet was addressed to us) and there is room, after dropping expired entries.
     */
    public void learn(Ipv4Address address, MacAddress mac, boolean create, long now) {
        if (!create && !entries.containsKey(address)) {
            return;
        }
        if (!entries.containsKey(address) && entries.size() >= capacity) {
            entries.values().removeIf(e -> e.expiresAt - now <= 0);
            if (entries.size() >= capacity) {
                return;
            }
        }
        entries.put(address, new Entry(mac, now + lifetimeNanos));
        lastRequest.remove(address);
    }

    /** True when a request for {@code address} may go out now (none within the retry interval); records it. */
    public boolean shouldRequest(Ipv4Address address, long now) {
        Long last = lastRequest.get(address);
        if (last != null && now - last < retryNanos) {
            return false;
        }
        if (lastRequest.size() >= capacity) {
            lastRequest.clear();
        }
        lastRequest.put(address, now);
        return true;
    }

    public int size() {
        return entries.size();
    }
}
