// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapEntry;
import org.layerstore.datapath.pagemap.PagemapReader;

/**
 * The debug check of pinning ({@code OffloadSettings.verifyPins}): the page frames a mapping was registered for
 * DMA with, re-read through pagemap and compared, so a page that moved after it was pinned is caught before the
 * hardware is given its old physical address.
 */
final class PinCheck {

    private final PagemapReader pagemap;
    private final MemorySegment pages;
    private final long mappedOffset;
    private final long[] pfns;

    /** @param pfns the page frame numbers registered for {@code mapping}'s DMA pages, page by page */
    PinCheck(PagemapReader pagemap, FileMapping mapping, long[] pfns) {
        this.pagemap = pagemap;
        this.pages = mapping.dmaPages();
        this.mappedOffset = mapping.mappedOffset();
        this.pfns = pfns.clone();
    }

    /**
     * Which page of the file bytes {@code [from, to)} is no longer at the frame it was registered with, or empty
     * when none moved.
     */
    Optional<String> moved(long from, long to) throws IOException {
        if (to <= from) {
            return Optional.empty();
        }
        int pageSize = pagemap.pageSize();
        int first = (int) ((from - mappedOffset) / pageSize);
        int last = (int) ((to - 1 - mappedOffset) / pageSize);
        PageTranslation now = pagemap.translate(pages.asSlice((long) first * pageSize, (long) (last - first + 1) * pageSize));
        for (int i = 0; i < now.pageCount(); i++) {
            long entry = now.entry(i);
            long pfn = PagemapEntry.present(entry) && !PagemapEntry.swapped(entry) ? PagemapEntry.pfn(entry) : 0;
            int page = first + i;
            if (pfn != pfns[page]) {
                return Optional.of("pinned page " + page + " (file offset " + (mappedOffset + (long) page * pageSize)
                        + ") moved from page frame 0x" + Long.toHexString(pfns[page]) + " to "
                        + (pfn == 0 ? "none (not present)" : "0x" + Long.toHexString(pfn)));
            }
        }
        return Optional.empty();
    }
}
