// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.datapath.pagemap.PagemapEntry;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.testing.FakePagemap;

class PhysicalRunsTest {

    private static final int PAGE = 4096;

    /** Virtual pages 0..3 -> PFNs 10,11,12 then 50; 4.. -> 51.. (contiguous again after the break). */
    private static PageTranslation pages(int count) throws IOException {
        PagemapReader reader = new PagemapReader(new FakePagemap(page -> PagemapEntry.of(page < 3 ? 10 + page : 47 + page,
                PagemapEntry.PRESENT)), PAGE);
        return reader.translate(0, (long) count * PAGE);
    }

    @Test
    void contiguousPagesBecomeOneRunAndABreakStartsAnother() throws IOException {
        List<PhysicalRun> runs = PhysicalRuns.coalesce(pages(6), 0, 6L * PAGE, 0);
        assertEquals(List.of(new PhysicalRun(10L * PAGE, 3L * PAGE, 0), new PhysicalRun(50L * PAGE, 3L * PAGE, 3L * PAGE)), runs);
    }

    @Test
    void anUnalignedRangeStartsAndEndsInsideItsPages() throws IOException {
        List<PhysicalRun> runs = PhysicalRuns.coalesce(pages(5), 100, 4L * PAGE, 1_000_100);
        assertEquals(List.of(new PhysicalRun(10L * PAGE + 100, 3L * PAGE - 100, 1_000_100),
                new PhysicalRun(50L * PAGE, PAGE + 100, 1_000_100 + 3L * PAGE - 100)), runs);
    }

    @Test
    void oneByteIsOneRunAndTheLastByteOfAPageStaysInIt() throws IOException {
        assertEquals(List.of(new PhysicalRun(10L * PAGE + 4095, 1, 7)), PhysicalRuns.coalesce(pages(1), 4095, 1, 7));
    }

    @Test
    void twoBytesAcrossABreakAreTwoRuns() throws IOException {
        PageTranslation pages = new PagemapReader(new FakePagemap(page -> PagemapEntry.of(page == 2 ? 12 : 50,
                PagemapEntry.PRESENT)), PAGE).translate(2L * PAGE, 2L * PAGE);
        assertEquals(List.of(new PhysicalRun(12L * PAGE + 4095, 1, 0), new PhysicalRun(50L * PAGE, 1, 1)),
                PhysicalRuns.coalesce(pages, 4095, 2, 0));
    }

    @Test
    void unusableTranslationsAreRefusedWithTheirReason() throws IOException {
        PagemapReader hidden = new PagemapReader(new FakePagemap(page -> PagemapEntry.PRESENT), PAGE);
        PageTranslation pages = hidden.translate(0, PAGE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PhysicalRuns.coalesce(pages, 0, 1, 0));
        assertEquals(pages.unusableReason().orElseThrow(), e.getMessage());
    }
}
