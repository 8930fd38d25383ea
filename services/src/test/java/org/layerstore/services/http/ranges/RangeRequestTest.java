// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.ranges;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class RangeRequestTest {

    private static RangeRequest parse(String header) {
        return RangeRequest.parse(header, 1000, 4, 1);
    }

    private static void assertRanges(String header, ByteRange... expected) {
        RangeRequest r = parse(header);
        assertEquals(RangeRequest.Kind.PARTIAL, r.kind(), header);
        assertEquals(List.of(expected), r.ranges(), header);
    }

    @Test
    void satisfiableFormsResolveAgainstTheLength() {
        assertRanges("bytes=0-99", new ByteRange(0, 99));
        assertRanges("bytes=-1", new ByteRange(999, 999));
        assertRanges("bytes=-1000", new ByteRange(0, 999));
        assertRanges("bytes=-9999", new ByteRange(0, 999));
        assertRanges("bytes=500-", new ByteRange(500, 999));
        assertRanges("bytes=500-99999999999999999999", new ByteRange(500, 999));
        assertRanges("BYTES = 1-2 , 5-6", new ByteRange(1, 2), new ByteRange(5, 6));
        assertRanges("bytes=0-0,,2-2", new ByteRange(0, 0), new ByteRange(2, 2));
        assertRanges("bytes=2000-3000,7-8", new ByteRange(7, 8));
    }

    @Test
    void nothingSatisfiableIs416() {
        for (String h : List.of("bytes=1000-", "bytes=-0", "bytes=1000-1000", "bytes=5000-6000,1001-")) {
            assertEquals(RangeRequest.Kind.UNSATISFIABLE, parse(h).kind(), h);
        }
        assertEquals(RangeRequest.Kind.UNSATISFIABLE, RangeRequest.parse("bytes=0-0", 0, 4, 1).kind());
        assertEquals(RangeRequest.Kind.UNSATISFIABLE, RangeRequest.parse("bytes=-5", 0, 4, 1).kind());
    }

    @Test
    void invalidOtherUnitsTooManyAndTooOverlappingAreIgnored() {
        for (String h : List.of("bytes", "bytes=", "bytes=-", "bytes=a-b", "bytes=5-1", "bytes=1-2-3", "bytes=+1-2",
                "pages=1-2", "=1-2", "bytes=0-1,2-3,4-5,6-7,8-9", "bytes=0-10,5-15,8-20", "bytes=,")) {
            assertEquals(RangeRequest.Kind.FULL, parse(h).kind(), h);
        }
        assertEquals(RangeRequest.Kind.FULL, RangeRequest.parse(null, 10, 4, 1).kind());
        assertEquals(RangeRequest.Kind.PARTIAL, parse("bytes=0-10,5-15").kind()); // one overlap is within the limit
    }

    @Test
    void contentRangeNamesTheTotal() {
        assertEquals("bytes 5-9/1000", new ByteRange(5, 9).contentRange(1000));
    }
}
