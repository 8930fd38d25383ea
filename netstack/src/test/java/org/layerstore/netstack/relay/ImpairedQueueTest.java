// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The relay's schedule on a clock of its own: seeded decisions, delays, holds, bounds and counts. */
class ImpairedQueueTest {

    private static final long MS = 1_000_000;
    private static final int FRAMES = 100_000;

    /** Offers frames 0..n-1 one every {@code spacing} ns, draining as a relay would; the copies in send order. */
    private static List<ImpairedQueue.Copy<Integer>> run(ImpairedQueue<Integer> q, int n, long spacing) {
        List<ImpairedQueue.Copy<Integer>> sent = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < n; i++, now += spacing) {
            drain(q, now, sent);
            q.offer(i, 14, 1514, now);
        }
        while (q.size() > 0) {
            now = Math.max(now, q.nextDue());
            drain(q, now, sent);
        }
        return sent;
    }

    private static void drain(ImpairedQueue<Integer> q, long now, List<ImpairedQueue.Copy<Integer>> sent) {
        for (ImpairedQueue.Copy<Integer> c; (c = q.poll(now)) != null;) {
            sent.add(c);
        }
    }

    private static ImpairedQueue<Integer> queue(long seed, Impairment impairment, RelayCounters counters) {
        ImpairedQueue<Integer> q = new ImpairedQueue<>(seed, counters);
        q.impairment(impairment);
        return q;
    }

    @Test
    void withoutImpairmentEveryFrameGoesAtOnceInOrder() {
        RelayCounters counters = new RelayCounters();
        ImpairedQueue<Integer> q = queue(1, Impairment.NONE, counters);
        assertEquals(1, q.offer(7, 14, 100, 5));
        ImpairedQueue.Copy<Integer> c = q.poll(5);
        assertEquals(7, c.frame());
        assertEquals(-1, c.corruptAt());
        assertNull(q.poll(5));
        assertEquals(Long.MAX_VALUE, q.nextDue());
        assertEquals(1, counters.get(RelayCounter.RECEIVED));
    }

    @Test
    void theSameSeedDecidesTheSameFatesWhateverTheTiming() {
        Impairment all = Impairment.NONE.withLoss(0.01).withDuplicate(0.005).withCorrupt(0.002).withReorder(0.01, 3, 20)
                .withDelay(3, 1);
        RelayCounters fast = new RelayCounters();
        RelayCounters slow = new RelayCounters();
        List<ImpairedQueue.Copy<Integer>> a = run(queue(42, all, fast), FRAMES, 10_000);
        List<ImpairedQueue.Copy<Integer>> b = run(queue(42, all, slow), FRAMES, 10 * MS);
        assertEquals(fast.line(), slow.line());
        assertEquals(frames(a, true), frames(b, true), "the same frames lost, duplicated and corrupted");
        RelayCounters other = new RelayCounters();
        run(queue(43, all, other), FRAMES, 10_000);
        assertTrue(!other.line().equals(fast.line()), "another seed, other fates: " + other.line());
    }

    private static List<String> frames(List<ImpairedQueue.Copy<Integer>> copies, boolean sorted) {
        List<String> out = new ArrayList<>();
        for (ImpairedQueue.Copy<Integer> c : copies) {
            out.add(c.frame() + "@" + c.corruptAt() + "." + c.corruptBit());
        }
        if (sorted) {
            out.sort(null);
        }
        return out;
    }

    @Test
    void ratesComeOutAsAsked() {
        RelayCounters counters = new RelayCounters();
        Impairment all = Impairment.NONE.withLoss(0.01).withDuplicate(0.005).withCorrupt(0.002).withReorder(0.01, 3, 20);
        List<ImpairedQueue.Copy<Integer>> sent = run(queue(7, all, counters), FRAMES, 10_000);
        assertRate(0.01, counters.get(RelayCounter.LOST));
        assertRate(0.005 * 0.99, counters.get(RelayCounter.DUPLICATED));
        assertRate(0.002 * 0.99, counters.get(RelayCounter.CORRUPTED));
        assertRate(0.01 * 0.99, counters.get(RelayCounter.REORDERED));
        assertEquals(FRAMES, counters.get(RelayCounter.RECEIVED));
        assertEquals(FRAMES - counters.get(RelayCounter.LOST) + counters.get(RelayCounter.DUPLICATED), sent.size());
        for (ImpairedQueue.Copy<Integer> c : sent) {
            if (c.corrupted()) {
                assertTrue(c.corruptAt() >= 14 && c.corruptAt() < 1514 && c.corruptBit() >= 0 && c.corruptBit() < 8,
                        "inside the IPv4 part: " + c);
            }
        }
    }

    /** Within five standard deviations of the binomial count: a fixed seed, so this is a check of the arithmetic. */
    private static void assertRate(double p, long count) {
        double mean = p * FRAMES;
        double sd = Math.sqrt(FRAMES * p * (1 - p));
        assertTrue(Math.abs(count - mean) < 5 * sd, count + " not near " + mean);
    }

    @Test
    void aHeldBackFrameGoesBehindTheNextGapFrames() {
        ImpairedQueue<Integer> q = queue(3, Impairment.NONE.withReorder(1, 3, 1000), new RelayCounters());
        q.offer(0, 14, 100, 0);
        q.impairment(Impairment.NONE);
        for (int i = 1; i <= 5; i++) {
            q.offer(i, 14, 100, 0);
        }
        List<Integer> order = new ArrayList<>();
        for (ImpairedQueue.Copy<Integer> c; (c = q.poll(0)) != null;) {
            order.add(c.frame());
        }
        assertEquals(List.of(1, 2, 3, 0, 4, 5), order);
    }

    @Test
    void aHeldBackFrameWithNothingBehindItLeavesAfterItsHold() {
        ImpairedQueue<Integer> q = queue(3, Impairment.NONE.withReorder(1, 3, 20), new RelayCounters());
        q.offer(0, 14, 100, 0);
        assertNull(q.poll(0));
        assertEquals(20 * MS, q.nextDue());
        assertNull(q.poll(20 * MS - 1));
        assertEquals(0, q.poll(20 * MS).frame());
    }

    @Test
    void delayAndJitterKeepTheOrderAndStayInTheirBounds() {
        Impairment delayed = Impairment.NONE.withDelay(4, 2);
        ImpairedQueue<Integer> q = queue(9, delayed, new RelayCounters());
        long[] offered = new long[1000];
        List<Long> dueTimes = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < offered.length; i++) {
            offered[i] = i * 100_000L;
            q.offer(i, 14, 100, offered[i]);
        }
        while (q.size() > 0) {
            long now = q.nextDue();
            for (ImpairedQueue.Copy<Integer> c; (c = q.poll(now)) != null;) {
                order.add(c.frame());
                dueTimes.add(now);
            }
        }
        for (int i = 0; i < order.size(); i++) {
            assertEquals(i, order.get(i), "delay alone never reorders");
            long waited = dueTimes.get(i) - offered[i];
            assertTrue(waited >= 2 * MS && waited <= 6 * MS + 100_000L * 40, "waited " + waited + " ns");
        }
    }

    @Test
    void aFullQueueDropsAndCountsTheOverflow() {
        RelayCounters counters = new RelayCounters();
        ImpairedQueue<Integer> q = queue(5, Impairment.NONE.withDelay(10, 0).withLimit(3), counters);
        int queued = 0;
        for (int i = 0; i < 5; i++) {
            queued += q.offer(i, 14, 100, 0);
        }
        assertEquals(3, queued);
        assertEquals(2, counters.get(RelayCounter.OVERFLOWED));
        assertNull(q.poll(10 * MS - 1));
        assertEquals(0, q.poll(10 * MS).frame());
    }

    @Test
    void aDuplicateIsIntactWhenTheOriginalIsCorrupted() {
        ImpairedQueue<Integer> q = queue(11, Impairment.NONE.withDuplicate(1).withCorrupt(1), new RelayCounters());
        assertEquals(2, q.offer(0, 14, 60, 0));
        ImpairedQueue.Copy<Integer> first = q.poll(0);
        ImpairedQueue.Copy<Integer> second = q.poll(0);
        assertTrue(first.corrupted() && first.corruptAt() >= 14 && first.corruptAt() < 60, first.toString());
        assertTrue(!second.corrupted(), second.toString());
    }

    @Test
    void aFrameWithNothingToCorruptIsSentIntact() {
        RelayCounters counters = new RelayCounters();
        ImpairedQueue<Integer> q = queue(11, Impairment.NONE.withCorrupt(1), counters);
        q.offer(0, 14, 14, 0);
        assertTrue(!q.poll(0).corrupted());
        assertEquals(0, counters.get(RelayCounter.CORRUPTED));
    }

    @Test
    void specsRoundTripAndBadOnesAreRefused() {
        Impairment i = Impairment.parse("loss=0.01,duplicate=0.005,corrupt=0.002,reorder=0.01,gap=4,hold-ms=15,"
                + "delay-ms=3,jitter-ms=1.5,limit=2000");
        assertEquals(i, Impairment.parse(i.toString()));
        assertEquals(1_500_000, i.jitterNanos());
        assertEquals(Impairment.NONE, Impairment.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Impairment.parse("loss=2"));
        assertThrows(IllegalArgumentException.class, () -> Impairment.parse("delay-ms=1,jitter-ms=2"));
        assertThrows(IllegalArgumentException.class, () -> Impairment.parse("los=0.1"));
        assertThrows(IllegalArgumentException.class, () -> Impairment.parse("limit=100000"));
    }

    @Test
    void counterLinesRoundTrip() {
        RelayCounters c = new RelayCounters();
        c.add(RelayCounter.SEND_FAILED, 3);
        c.increment(RelayCounter.RECEIVED);
        assertEquals(3L, RelayCounters.parse(c.line()).get(RelayCounter.SEND_FAILED));
        assertEquals(1L, RelayCounters.parse(c.line()).get(RelayCounter.RECEIVED));
        assertThrows(IllegalArgumentException.class, () -> RelayCounters.parse("received=1"));
    }
}
