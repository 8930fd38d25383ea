// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CUBIC's window (RFC 9438) with ABC (RFC 3465), and the RTO estimator (RFC 6298). */
class CongestionTest {

    private static final int MSS = 1448;
    private static final long MS = 1_000_000;

    @Test
    void initialWindowIsTenSegmentsWithinRfc6928sBound() {
        // IW = min(10 MSS, max(2 MSS, 14600)).
        assertEquals(10 * 1448, new Cubic(1448).cwnd());
        assertEquals(10 * 536, new Cubic(536).cwnd());
        assertEquals(2 * 8960, new Cubic(8960).cwnd(), "jumbo segments: two of them");
    }

    @Test
    void slowStartGrowsByTheBytesAcknowledgedButAtMostTwoSegmentsPerAck() {
        Cubic c = new Cubic(MSS);
        long start = c.cwnd();
        c.onAck(MSS, 0, 0);
        assertEquals(start + MSS, c.cwnd());
        c.onAck(10L * MSS, 0, 0);
        assertEquals(start + 3L * MSS, c.cwnd(), "RFC 3465 L = 2 SMSS");
    }

    @Test
    void lossMultipliesTheWindowByBetaAndTimeoutResetsToOneSegment() {
        Cubic c = new Cubic(MSS);
        c.cwnd(100L * MSS);
        c.onLoss();
        assertEquals((long) (100L * MSS * 0.7), c.cwnd());
        assertEquals(c.cwnd(), c.ssthresh());
        c.onTimeout();
        assertEquals(MSS, c.cwnd());
        assertEquals((long) (70L * MSS * 0.7), c.ssthresh(), "RFC 9438 §4.8 ssthresh as for a loss");
    }

    @Test
    void congestionAvoidanceClimbsBackTowardsWmaxAndBeyondItOverTime() {
        Cubic c = new Cubic(MSS);
        c.cwnd(100L * MSS);
        c.onLoss();
        long now = 0;
        long rtt = 20 * MS;
        long afterLoss = c.cwnd();
        // One window of ACKs per RTT for 10 s.
        for (int round = 0; round < 500; round++) {
            long segments = c.cwnd() / MSS;
            for (int i = 0; i < segments; i++) {
                c.onAck(MSS, now, rtt);
            }
            now += rtt;
        }
        assertTrue(c.cwnd() > 100L * MSS, "past W_max after K = cbrt(30 / 0.4) = 4.2 s: " + c.cwnd() / MSS);
        assertTrue(c.cwnd() > afterLoss);
    }

    @Test
    void rtoFollowsRfc6298() {
        RttEstimator r = new RttEstimator(1000 * MS, 200 * MS, 60_000 * MS);
        assertEquals(1000 * MS, r.rtoNanos(), "§2.1 initial RTO");
        r.sample(100 * MS);
        assertEquals(100 * MS, r.srttNanos());
        assertEquals(300 * MS, r.rtoNanos(), "§2.2: SRTT + 4 * R/2");
        r.sample(100 * MS);
        assertEquals(250 * MS, r.rtoNanos(), "§2.3: RTTVAR = 3/4 * 50 ms, RTO = 100 + 4 * 37.5 ms");
        r.backOff();
        assertEquals(500 * MS, r.rtoNanos());
        for (int i = 0; i < 20; i++) {
            r.backOff();
        }
        assertEquals(60_000 * MS, r.rtoNanos(), "§2.5 cap");
    }
}
