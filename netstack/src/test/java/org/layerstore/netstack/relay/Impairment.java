// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the relay does to the frames of one direction, as netem would: probabilities per frame (0 to 1)
 * of loss, duplication, corruption (one bit of the IPv4 datagram flipped, so a checksum catches it) and
 * reordering (the frame held back behind the next {@code gap} frames, or {@code hold} after it was due,
 * whichever comes first), a delay of {@code delay} plus a uniform jitter of up to {@code jitter} either
 * way, and a queue of at most {@code limit} frames (netem's default limit, 1,000; beyond it frames are
 * dropped and counted as overflow).
 *
 * <p>Written and parsed as {@code loss=0.01,duplicate=0.005,corrupt=0.002,reorder=0.01,gap=3,hold-ms=20,
 * delay-ms=2,jitter-ms=1,limit=1000}; keys left out keep their default (no impairment).
 */
public record Impairment(double loss, double duplicate, double corrupt, double reorder, int gap, long holdNanos,
        long delayNanos, long jitterNanos, int limit) {

    /** The largest queue a direction may have: the relay's frame buffers are allocated up to it. */
    public static final int MAX_LIMIT = 8192;

    /** Frames pass untouched, at once, in order. */
    public static final Impairment NONE = new Impairment(0, 0, 0, 0, 3, TimeUnit.MILLISECONDS.toNanos(20), 0, 0, 1000);

    public Impairment {
        for (double p : new double[] {loss, duplicate, corrupt, reorder}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a probability is between 0 and 1, not " + p);
            }
        }
        if (gap < 1 || holdNanos < 0 || delayNanos < 0 || jitterNanos < 0 || jitterNanos > delayNanos
                || limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("gap >= 1, hold, delay >= jitter >= 0 and limit 1.." + MAX_LIMIT
                    + ": gap=" + gap + " hold=" + holdNanos + " ns delay=" + delayNanos + " ns jitter=" + jitterNanos
                    + " ns limit=" + limit);
        }
    }

    /** {@code spec} as {@link #toString} writes it; an empty spec is {@link #NONE}. */
    public static Impairment parse(String spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : spec.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not key=value: " + pair);
            }
            values.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        Impairment d = NONE;
        Impairment i = new Impairment(number(values, "loss", d.loss), number(values, "duplicate", d.duplicate),
                number(values, "corrupt", d.corrupt), number(values, "reorder", d.reorder),
                (int) number(values, "gap", d.gap), millis(values, "hold-ms", d.holdNanos),
                millis(values, "delay-ms", d.delayNanos), millis(values, "jitter-ms", d.jitterNanos),
                (int) number(values, "limit", d.limit));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown impairment keys " + values.keySet());
        }
        return i;
    }

    private static double number(Map<String, String> values, String key, double fallback) {
        String v = values.remove(key);
        return v == null ? fallback : Double.parseDouble(v);
    }

    private static long millis(Map<String, String> values, String key, long fallbackNanos) {
        String v = values.remove(key);
        return v == null ? fallbackNanos : Math.round(Double.parseDouble(v) * 1e6);
    }

    public Impairment withLoss(double p) {
        return new Impairment(p, duplicate, corrupt, reorder, gap, holdNanos, delayNanos, jitterNanos, limit);
    }

    public Impairment withDuplicate(double p) {
        return new Impairment(loss, p, corrupt, reorder, gap, holdNanos, delayNanos, jitterNanos, limit);
    }

    public Impairment withCorrupt(double p) {
        return new Impairment(loss, duplicate, p, reorder, gap, holdNanos, delayNanos, jitterNanos, limit);
    }

    /** Holds a frame back with probability {@code p} behind {@code frames} later ones, {@code holdMillis} at most. */
    public Impairment withReorder(double p, int frames, double holdMillis) {
        return new Impairment(loss, duplicate, corrupt, p, frames, Math.round(holdMillis * 1e6), delayNanos,
                jitterNanos, limit);
    }

    public Impairment withDelay(double delayMillis, double jitterMillis) {
        return new Impairment(loss, duplicate, corrupt, reorder, gap, holdNanos, Math.round(delayMillis * 1e6),
                Math.round(jitterMillis * 1e6), limit);
    }

    public Impairment withLimit(int frames) {
        return new Impairment(loss, duplicate, corrupt, reorder, gap, holdNanos, delayNanos, jitterNanos, frames);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss=%s,duplicate=%s,corrupt=%s,reorder=%s,gap=%d,hold-ms=%s,delay-ms=%s,"
                + "jitter-ms=%s,limit=%d", loss, duplicate, corrupt, reorder, gap, holdNanos / 1e6, delayNanos / 1e6,
                jitterNanos / 1e6, limit);
    }
}
