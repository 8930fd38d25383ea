// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FileRangeTest {

    @Test
    void wholeFileStartsAtZeroAndEndsAtTheSize() {
        FileRange range = FileRange.whole(4096);
        assertEquals(0, range.offset());
        assertEquals(4096, range.end());
    }

    @Test
    void aRangeEndingExactlyAtEndOfFileIsAccepted() {
        assertEquals(4095, FileRange.within(4095, 1, 4096).offset());
    }

    @Test
    void aRangePastTheEndOfTheFileIsRefusedWithTheNumbers() {
        var e = assertThrows(IllegalArgumentException.class, () -> FileRange.within(4000, 97, 4096));
        assertEquals("range [4000, 4097) is past the end of a 4096-byte file", e.getMessage());
    }

    @Test
    void negativeAndOverflowingRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new FileRange(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FileRange(1, -1));
        assertThrows(IllegalArgumentException.class, () -> new FileRange(Long.MAX_VALUE, 2));
    }
}
