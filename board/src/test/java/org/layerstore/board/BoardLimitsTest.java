// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The profile's limits as the HAL and the descriptor builder receive them, from detection to rule. */
class BoardLimitsTest {

    private static BoardLimits limitsOf(String fixture) {
        return new BoardDetector(Fixtures.root(fixture), ProfileCatalog.builtIn()).detect(BoardDetector.AUTO).limits();
    }

    @Test
    void anLs1043aBoardImposesTheA050385AlignmentRule() {
        BoardLimits limits = limitsOf("ls1043ardb");
        assertTrue(limits.erratumA050385());
        assertEquals(256, limits.dataStartAlignment());
        assertEquals(256, limits.fragmentLengthMultiple());

        Optional<String> unaligned = limits.fragmentViolation(0x8_1234_5040L, 4096, false);
        assertTrue(unaligned.isPresent() && unaligned.get().contains("256-byte aligned")
                && unaligned.get().contains("A050385"), unaligned.toString());
        Optional<String> shortMiddle = limits.fragmentViolation(0x8_1234_5000L, 1000, false);
        assertTrue(shortMiddle.isPresent() && shortMiddle.get().contains("multiple of 256"), shortMiddle.toString());
        assertEquals(Optional.empty(), limits.fragmentViolation(0x8_1234_5000L, 1000, true));
        assertEquals(Optional.empty(), limits.fragmentViolation(0x8_1234_5100L, 3840, false));
        assertEquals(768, limits.nonLastFragmentLength(1000));
    }

    @Test
    void anLs1046aBoardTakesFragmentsAnywhere() {
        BoardLimits limits = limitsOf("ls1046ardb");
        assertFalse(limits.erratumA050385());
        assertEquals(1, limits.dataStartAlignment());
        assertEquals(Optional.empty(), limits.fragmentViolation(0x8_1234_5041L, 1000, false));
        assertEquals(1000, limits.nonLastFragmentLength(1000));
    }

    @Test
    void theProfileFramingLimitsReachTheRecord() {
        BoardLimits limits = limitsOf("ls1046ardb");
        assertEquals("ls1046ardb", limits.board());
        assertEquals(1522, limits.maxFrameSize());
        assertEquals(16, limits.maxSgEntries());
        assertEquals(64, limits.txHeadroom());
        assertEquals(1024, limits.txRingDepth());
        assertTrue(limits.busAddressIsPhysical());
        assertEquals(3, limits.bufferPools().size());
        assertEquals(256, limits.bufferPools().getFirst().bufferSize());
    }

    @Test
    void addressesBeyondFortyBitsAreRefused() {
        BoardLimits limits = limitsOf("qemu-arm64");
        assertEquals(40, limits.busAddressBits());
        assertTrue(limits.fragmentViolation((1L << 40) - 100, 200, true).isPresent());
        assertEquals(Optional.empty(), limits.fragmentViolation((1L << 40) - 200, 200, true));
        assertTrue(limits.fragmentViolation(0x1000, 0, true).isPresent());
    }
}
