// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Properties of sequence-number arithmetic (RFC 9293 §3.4) on random pairs from a fixed seed, biased to
 * the wrap-around at 2^32 and to distances near 2^31.
 */
class SeqTest {

    private static final long SEED = 9293;

    private static final int ROUNDS = 100_000;

    /** A base biased to the wrap-around and the sign boundary, and a forward distance of 1 to 2^31 - 1. */
    private static int[] pair(Random random, int i) {
        int base = switch (i % 4) {
            case 0 -> random.nextInt();
            case 1 -> -1 - random.nextInt(1 << 16);
            case 2 -> random.nextInt(1 << 16);
            default -> Integer.MAX_VALUE - random.nextInt(1 << 16);
        };
        return new int[] {base, 1 + random.nextInt(Integer.MAX_VALUE)};
    }

    @Test
    void aNumberIsBeforeEveryNumberLessThanHalfTheSpaceAhead() {
        Random random = new Random(SEED);
        for (int i = 0; i < ROUNDS; i++) {
            int[] p = pair(random, i);
            int a = p[0];
            int b = a + p[1];
            String where = "a=" + Integer.toUnsignedString(a) + " distance=" + p[1];
            assertTrue(Seq.lt(a, b) && Seq.le(a, b) && Seq.gt(b, a) && Seq.ge(b, a), where);
            assertFalse(Seq.lt(b, a) || Seq.gt(a, b) || Seq.le(b, a) || Seq.ge(a, b), where);
            assertEquals(Integer.toUnsignedLong(p[1]), Seq.distance(a, b), where);
        }
    }

    @Test
    void windowTestHoldsAcrossTheWrap() {
        Random random = new Random(SEED + 1);
        for (int i = 0; i < ROUNDS; i++) {
            int[] p = pair(random, i);
            int low = p[0];
            int high = low + p[1];
            String where = "low=" + Integer.toUnsignedString(low) + " size=" + p[1];
            assertTrue(Seq.inWindow(low, low, high), where);
            assertFalse(Seq.inWindow(high, low, high), where);
            assertTrue(Seq.inWindow(high - 1, low, high), where);
            assertFalse(Seq.inWindow(low - 1, low, high), where);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 0x7FFF_FFF0, 0xFFFF_FFF0})
    void orderingIsReflexiveOnlyForLeAndGe(int a) {
        assertTrue(Seq.le(a, a));
        assertTrue(Seq.ge(a, a));
        assertFalse(Seq.lt(a, a));
        assertFalse(Seq.gt(a, a));
        assertTrue(Seq.lt(a, a + 1), "the next number is after, also at 2^32 - 1 -> 0");
    }
}
