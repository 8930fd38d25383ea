package org.layerstore.services.http.webdav;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The table of WebDAV write locks, in memory: locks are promises between clients that are connected
 * now, so they do not survive a restart (clients then see their tokens refused and lock again).
 * Expired locks are dropped whenever the table is read.
 */
public final class LockManager {

    /** The timeout granted when the client asks for none, or for "Infinite". */
    public static final long DEFAULT_TIMEOUT_SECONDS = 3600;
    /** The longest timeout granted; longer requests get this. */
    public static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

    private final Map<String, ActiveLock> byToken = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    public LockManager() {
        this(System::currentTimeMillis);
    }

    LockManager(LongSupplier clock) {
        this.clock = clock;
    }

    public long now() {
        return clock.getAsLong();
    }

    /** The live locks that cover {@code key}. */
    public List<ActiveLock> covering(String key) {
        return live(l -> l.covers(key));
    }

    /** The live locks rooted at or below {@code key} (what a DELETE or MOVE of it would break). */
    public List<ActiveLock> atOrBelow(String key) {
        return live(l -> l.isAtOrBelow(key));
    }

    public ActiveLock get(String token) {
        ActiveLock l = byToken.get(token);
        if (l != null && l.expiresAtMillis() <= now()) {
            byToken.remove(token, l);
            return null;
        }
        return l;
    }

    /**
     * Grants a new lock unless it conflicts with one already held; returns null on conflict.
     * Synchronized so two clients cannot both win an exclusive lock.
     */
    public synchronized ActiveLock lock(String key, String href, boolean exclusive, boolean infinite, String ownerXml,
            long timeoutSeconds) {
        for (ActiveLock held : live(l -> l.covers(key) || infinite && l.isAtOrBelow(key))) {
            if (exclusive || held.exclusive()) {
                return null;
            }
        }
        String token = "urn:uuid:" + UUID.randomUUID();
        ActiveLock lock = new ActiveLock(token, key, href, exclusive, infinite, ownerXml, timeoutSeconds,
                now() + timeoutSeconds * 1000);
        byToken.put(token, lock);
        return lock;
    }

    public ActiveLock refresh(String token, long timeoutSeconds) {
        ActiveLock l = get(token);
        if (l == null) {
            return null;
        }
        ActiveLock r = l.refreshed(timeoutSeconds, now());
        byToken.put(token, r);
        return r;
    }

    public boolean unlock(String token) {
        return byToken.remove(token) != null;
    }

    /** Drops every lock rooted at or below {@code key}: the resource is gone or has moved away. */
    public void removeAtOrBelow(String key) {
        byToken.values().removeIf(l -> l.isAtOrBelow(key));
    }

    /** Parses a Timeout header ("Second-N", "Infinite", possibly several): the granted seconds. */
    public static long timeout(String header) {
        if (header == null) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        for (String part : header.split(",")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "Second-", 0, 7)) {
                try {
                    long s = Long.parseLong(p.substring(7).trim());
                    if (s > 0) {
                        return Math.min(s, MAX_TIMEOUT_SECONDS);
                    }
                } catch (NumberFormatException e) {
                    // try the next alternative
                }
            }
        }
        return DEFAULT_TIMEOUT_SECONDS;
    }

    private List<ActiveLock> live(java.util.function.Predicate<ActiveLock> filter) {
        long now = now();
        List<ActiveLock> out = new ArrayList<>();
        for (ActiveLock l : byToken.values()) {
            if (l.expiresAtMillis() <= now) {
                byToken.remove(l.token(), l);
            } else if (filter.test(l)) {
                out.add(l);
            }
        }
        return out;
    }
}
