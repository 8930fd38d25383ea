// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;

/** The check every backend makes of a caller's native array before handing it to the library. */
final class SegmentCounts {

    private SegmentCounts() {
    }

    /** {@code count} elements of {@code elementBytes}, 1..max of them, fit in {@code array}. */
    static void check(MemorySegment array, long elementBytes, int count, int max, String what) {
        if (count < 1 || count > max || count * elementBytes > array.byteSize()) {
            throw new IllegalArgumentException(count + " " + what + " (1.." + max + ") in a segment of "
                    + array.byteSize() + " bytes");
        }
    }
}
