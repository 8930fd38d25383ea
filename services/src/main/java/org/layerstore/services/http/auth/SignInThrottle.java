// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Slows password guessing down: failed sign-ins are counted per client address and per user name tried
 * (known or not, so that the answers do not tell which users exist). The first {@value #FREE_FAILURES}
 * failures of a key cost nothing; each further one locks the key for 1 s, doubling per failure up to
 * {@value #MAX_LOCK_SECONDS} s. While a key is locked its sign-ins are refused without looking at the
 * password. A successful sign-in clears the address and the user; a key with no failure for
 * {@value #FORGET_SECONDS} s is forgotten. At most {@value #MAX_KEYS} keys of each kind are kept (the
 * least recently seen go first), so rotating names or addresses cannot exhaust memory.
 *
 * <p>Thread-safe: sign-ins are checked on the event loops and the file-I/O threads at once.
 */
public final class SignInThrottle {

    static final int FREE_FAILURES = 5;
    static final long MAX_LOCK_SECONDS = 900;
    static final long FORGET_SECONDS = 3600;
    static final int MAX_KEYS = 10_000;

    /** Whether a sign-in may be tried now, and if not, for how long it will still be refused. */
    public record Verdict(boolean allowed, long retryAfterSeconds) {
        static final Verdict ALLOWED = new Verdict(true, 0);
    }

    /** Failures of one key and until when it is locked (milliseconds of the throttle's clock). */
    private static final class Record {
        int failures;
        long lastFailure;
        long lockedUntil;
    }

    private final LongSupplier millis;
    private final Map<String, Record> addresses = lru();
    private final Map<String, Record> users = lru();

    /** @param millis the clock, in milliseconds (monotonic is best) */
    public SignInThrottle(LongSupplier millis) {
        this.millis = millis;
    }

    public static SignInThrottle monotonic() {
        return new SignInThrottle(() -> System.nanoTime() / 1_000_000);
    }

    /** Whether {@code user} (null: no name could be read) may try a password from {@code address} now. */
    public synchronized Verdict check(String address, String user) {
        long now = millis.getAsLong();
        long until = Math.max(lockedUntil(addresses, address, now), user == null ? 0 : lockedUntil(users, user, now));
        return until <= now ? Verdict.ALLOWED : new Verdict(false, (until - now + 999) / 1000);
    }

    /**
     * Counts a failed sign-in. Returns the lock it started, in seconds, or 0 when the failure was still
     * free for both keys.
     */
    public synchronized long failed(String address, String user) {
        long now = millis.getAsLong();
        return Math.max(fail(addresses, address, now), user == null ? 0 : fail(users, user, now));
    }

    /** A successful sign-in: the address and the user start afresh. */
    public synchronized void succeeded(String address, String user) {
        addresses.remove(address);
        users.remove(user);
    }

    private static long lockedUntil(Map<String, Record> records, String key, long now) {
        Record r = records.get(key);
        if (r != null && now - r.lastFailure > FORGET_SECONDS * 1000) {
            records.remove(key);
            return 0;
        }
        return r == null ? 0 : r.lockedUntil;
    }

    private static long fail(Map<String, Record> records, String key, long now) {
        lockedUntil(records, key, now); // forgets a stale record first
        Record r = records.computeIfAbsent(key, k -> new Record());
        r.failures++;
        r.lastFailure = now;
        int beyond = r.failures - FREE_FAILURES;
        if (beyond <= 0) {
            return 0;
        }
        long seconds = beyond > 20 ? MAX_LOCK_SECONDS : Math.min(MAX_LOCK_SECONDS, 1L << (beyond - 1));
        r.lockedUntil = now + seconds * 1000;
        return seconds;
    }

    /** Least-recently-seen-first eviction: every look-up moves its key to the end (access order). */
    private static Map<String, Record> lru() {
        return new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Record> eldest) {
                return size() > MAX_KEYS;
            }
        };
    }
}
