// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/**
 * The retransmission timeout of RFC 6298: SRTT and RTTVAR from samples (§2.2, §2.3), RTO = SRTT +
 * max(G, 4 RTTVAR) within [min, max] (§2.4, §2.5), doubled on each expiry (§5.5) until a new sample.
 * Samples follow Karn's rule (§3): the caller never passes a sample from a retransmitted segment.
 */
public final class RttEstimator {

    /** Clock granularity G: the stack's timers run in nanoseconds, its timestamps in milliseconds. */
    private static final long GRANULARITY_NANOS = 1_000_000;

    private final long minRto;
    private final long maxRto;
    private long srtt;
    private long rttvar;
    private boolean sampled;
    private long rto;

    public RttEstimator(long initialRtoNanos, long minRtoNanos, long maxRtoNanos) {
        this.minRto = minRtoNanos;
        this.maxRto = maxRtoNanos;
        this.rto = initialRtoNanos;
    }

    /** A round-trip sample from a segment sent once. */
    public void sample(long rttNanos) {
        long r = Math.max(rttNanos, 0);
        if (!sampled) {
            // RFC 6298 §2.2: the first measurement.
            srtt = r;
            rttvar = r / 2;
            sampled = true;
        } else {
            // RFC 6298 §2.3: beta = 1/4, alpha = 1/8, RTTVAR first (it uses the old SRTT).
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = clamp(srtt + Math.max(GRANULARITY_NANOS, 4 * rttvar));
    }

    /** RFC 6298 §5.5: the timer expired, back off. */
    public void backOff() {
        rto = clamp(rto * 2);
    }

    public long rtoNanos() {
        return rto;
    }

    /** Smoothed RTT, 0 before the first sample. */
    public long srttNanos() {
        return srtt;
    }

    public boolean sampled() {
        return sampled;
    }

    private long clamp(long value) {
        return Math.min(maxRto, Math.max(minRto, value));
    }
}
