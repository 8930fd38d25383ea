// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SackScoreboardTest {

    private static final int MSS = 100;
    /** Just below 2^32, so the ranges wrap. */
    private static final int UNA = -250;

    private final SackScoreboard board = new SackScoreboard();

    private void sack(int sndUna, int... edges) {
        board.update(sndUna, UNA + 10_000, edges, edges.length / 2);
    }

    @Test
    void blocksMergeAcrossTheWrapAndAreDroppedOnceAcknowledged() {
        sack(UNA, UNA + 300, UNA + 400, UNA + 200, UNA + 300);
        assertTrue(board.isSacked(UNA + 200));
        assertTrue(board.isSacked(UNA + 399));
        assertFalse(board.isSacked(UNA + 400));
        assertEquals(UNA + 400, board.highestSacked());
        sack(UNA + 400);
        assertTrue(board.isEmpty(), "SND.UNA passed every range");
    }

    @Test
    void blocksOutsideTheSentWindowAreIgnored() {
        sack(UNA, UNA - 500, UNA - 100, UNA + 20_000, UNA + 20_100);
        assertTrue(board.isEmpty());
    }

    @Test
    void isLostNeedsThreeRangesOrMoreThanTwoSegmentsAbove() {
        sack(UNA, UNA + 100, UNA + 200, UNA + 300, UNA + 400);
        assertFalse(board.isLost(UNA, MSS), "two segments SACKed above, two ranges");
        sack(UNA, UNA + 500, UNA + 501);
        assertTrue(board.isLost(UNA, MSS), "three discontiguous ranges (RFC 6675 §4)");
        assertFalse(board.isLost(UNA + 450, MSS));
    }

    @Test
    void firstUnsackedSkipsRangesAndHoleEndStopsAtTheNext() {
        sack(UNA, UNA + 100, UNA + 200, UNA + 300, UNA + 400);
        assertEquals(UNA, board.firstUnsacked(UNA));
        assertEquals(UNA + 200, board.firstUnsacked(UNA + 100));
        assertEquals(UNA + 300, board.holeEnd(UNA + 200, UNA + 1000));
        assertEquals(UNA + 1000, board.holeEnd(UNA + 400, UNA + 1000));
    }
}
