// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of WebDAV write locks. Persistent ({@link #persistent}) it is saved to the appliance's state
 * directory at every change, so a restart keeps each granted token valid until it expires or is unlocked;
 * locks that expired while the appliance was down are dropped at load. Without a state directory it lives
 * in memory only. Expired locks are dropped whenever the table is read.
 */
public final class LockManager {

    /** The timeout granted when the client asks for none, or for "Infinite". */
    public static final long DEFAULT_TIMEOUT_SECONDS = 3600;
    /** The longest timeout granted; longer requests get this. */
    public static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

    private static final Logger LOG = LoggerFactory.getLogger(LockManager.class);

    private final Map<String, ActiveLock> byToken = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    /** Where the table is saved, or null when it lives in memory only. */
    private final LockFile file;

    /** A table in memory only: its locks end with the server. */
    public LockManager() {
        this(System::currentTimeMillis);
    }

    LockManager(LongSupplier clock) {
        this.clock = clock;
        this.file = null;
    }

    LockManager(LockFile file, LongSupplier clock) throws IOException {
        this.clock = clock;
        this.file = file;
        long now = now();
        List<ActiveLock> saved = file.load();
        for (ActiveLock lock : saved) {
            if (lock.expiresAtMillis() > now) {
                byToken.put(lock.token(), lock);
            }
        }
        if (byToken.size() < saved.size()) {
            saved(); // the ones that expired while the server was down leave the file too
        }
        LOG.info("WebDAV locks: {} held, kept in {}", byToken.size(), file.path());
    }

    /** The table saved in {@code stateDir}, with the locks saved there that have not expired yet. */
    public static LockManager persistent(Path stateDir) throws IOException {
        return new LockManager(new LockFile(stateDir), System::currentTimeMillis);
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
        saved();
        return lock;
    }

    public ActiveLock refresh(String token, long timeoutSeconds) {
        ActiveLock l = get(token);
        if (l == null) {
            return null;
        }
        ActiveLock r = l.refreshed(timeoutSeconds, now());
        byToken.put(token, r);
        saved();
        return r;
    }

    public boolean unlock(String token) {
        boolean removed = byToken.remove(token) != null;
        if (removed) {
            saved();
        }
        return removed;
    }

    /** Drops every lock rooted at or below {@code key}: the resource is gone or has moved away. */
    public void removeAtOrBelow(String key) {
        if (byToken.values().removeIf(l -> l.isAtOrBelow(key))) {
            saved();
        }
    }

    /**
     * Saves the table after a change. A failed save (a full disk, say) does not undo the change: the lock
     * holds while the server runs, and the warning says a restart would forget it.
     */
    private void saved() {
        if (file == null) {
            return;
        }
        try {
            file.save(byToken.values());
        } catch (IOException e) {
            LOG.warn("cannot save the WebDAV locks to {} (they hold until a restart): {}", file.path(), e.toString());
        }
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
