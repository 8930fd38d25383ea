// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

/**
 * CUBIC congestion control (RFC 9438) with slow start and appropriate byte counting (RFC 3465), in bytes.
 *
 * <p>Slow start (RFC 9438 §4.10 uses RFC 5681's): cwnd grows by the bytes acknowledged, at most L = 2 SMSS
 * per ACK (RFC 3465 §2.2). Congestion avoidance follows W_cubic(t) = C (t - K)^3 + W_max (§4.2), with the
 * Reno-friendly estimate W_est (§4.3) as the floor, and the target clamped to [cwnd, 1.5 cwnd] (§4.2).
 * A loss found by duplicate ACKs multiplies cwnd by beta = 0.7 (§4.6) with fast convergence (§4.7); an RTO
 * sets cwnd to one segment (§4.8, RFC 5681 §3.1).
 */
public final class Cubic {

    static final double C = 0.4;
    static final double BETA = 0.7;
    /** RFC 9438 §4.3: alpha_cubic = 3 (1 - beta) / (1 + beta). */
    static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);
    private static final int ABC_LIMIT_SEGMENTS = 2;

    private long mss;
    private long cwnd;
    private long ssthresh = Long.MAX_VALUE;
    /** W_max and W_est in segments; the epoch start in nanoseconds (-1: no epoch yet). */
    private double wMax;
    private double lastWMax;
    private double wEst;
    private double k;
    private long epochStart = -1;
    /** Bytes acknowledged in congestion avoidance not yet turned into cwnd growth. */
    private double pendingGrowth;

    public Cubic(int mss) {
        this.mss = mss;
        this.cwnd = initialWindow(mss);
    }

    /** RFC 6928 §2: IW = min(10 MSS, max(2 MSS, 14600)). */
    static long initialWindow(long mss) {
        return Math.min(10 * mss, Math.max(2 * mss, 14600));
    }

    public long cwnd() {
        return cwnd;
    }

    public long ssthresh() {
        return ssthresh;
    }

    /** The segment size changed (path MTU); cwnd keeps its segment count's worth of bytes at least one segment. */
    public void mss(int newMss) {
        this.mss = newMss;
        cwnd = Math.max(cwnd, newMss);
    }

    /** New data acknowledged outside loss recovery. */
    public void onAck(long ackedBytes, long nowNanos, long srttNanos) {
        if (cwnd < ssthresh) {
            cwnd += Math.min(ackedBytes, ABC_LIMIT_SEGMENTS * mss);
            return;
        }
        if (epochStart < 0) {
            startEpoch(nowNanos);
        }
        double segments = (double) cwnd / mss;
        double acked = (double) ackedBytes / mss;
        // RFC 9438 §4.3: W_est grows by alpha per window of acknowledged segments.
        wEst += ALPHA * acked / segments;
        double t = (nowNanos - epochStart + srttNanos) / 1e9;
        double target = C * Math.pow(t - k, 3) + wMax;
        target = Math.max(segments, Math.min(target, 1.5 * segments));
        double next = wEst > target ? wEst : segments + (target - segments) * acked / segments;
        pendingGrowth += (next - segments) * mss;
        if (pendingGrowth >= 1) {
            long grow = (long) pendingGrowth;
            cwnd += grow;
            pendingGrowth -= grow;
        }
    }

    /** A loss detected by duplicate ACKs (RFC 9438 §4.6): sets ssthresh and cwnd to beta * cwnd. */
    public void onLoss() {
        reduce();
        cwnd = ssthresh;
        epochStart = -1;
    }

    /** The retransmission timer expired (RFC 9438 §4.8): ssthresh as for a loss, cwnd one segment. */
    public void onTimeout() {
        reduce();
        cwnd = mss;
        epochStart = -1;
    }

    /** Fast recovery's inflation and deflation (RFC 6582 §3.2) set cwnd directly. */
    public void cwnd(long bytes) {
        cwnd = Math.max(mss, bytes);
    }

    private void reduce() {
        double segments = (double) cwnd / mss;
        // RFC 9438 §4.7 fast convergence: release bandwidth to newer flows when W_max is shrinking.
        wMax = segments < lastWMax ? segments * (1 + BETA) / 2 : segments;
        lastWMax = segments;
        ssthresh = Math.max((long) (cwnd * BETA), 2 * mss);
    }

    private void startEpoch(long nowNanos) {
        epochStart = nowNanos;
        double segments = (double) cwnd / mss;
        if (wMax < segments) {
            wMax = segments;
            k = 0;
        } else {
            // RFC 9438 §4.2 eq. 2: K = cbrt((W_max - cwnd_epoch) / C).
            k = Math.cbrt((wMax - segments) / C);
        }
        wEst = segments;
        pendingGrowth = 0;
    }
}
