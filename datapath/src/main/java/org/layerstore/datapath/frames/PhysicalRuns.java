// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.ArrayList;
import java.util.List;

import org.layerstore.datapath.pagemap.PageTranslation;

/**
 * Coalesces translated pages into maximal physically contiguous runs. Runs are not cut here: every
 * buffer entry made from a run is at most one segment long, far below the format's 20-bit length, and
 * the address width is checked when frames are planned. Huge pages and large folios show up as long
 * runs of consecutive PFNs, so they coalesce on their own.
 */
public final class PhysicalRuns {

    private PhysicalRuns() {
    }

    /**
     * The runs holding {@code length} bytes that start {@code offsetInFirstPage} bytes into the first page
     * of {@code pages}, which hold the file's bytes from {@code fileOffset}.
     *
     * @throws IllegalArgumentException when the translation is unusable (its reason is the message) or
     *                                  does not cover the bytes
     */
    public static List<PhysicalRun> coalesce(PageTranslation pages, long offsetInFirstPage, long length, long fileOffset) {
        pages.unusableReason().ifPresent(reason -> {
            throw new IllegalArgumentException(reason);
        });
        long pageSize = pages.pageSize();
        if (offsetInFirstPage < 0 || offsetInFirstPage >= pageSize && length > 0
                || offsetInFirstPage + length > (long) pages.pageCount() * pageSize) {
            throw new IllegalArgumentException(length + " bytes at +" + offsetInFirstPage + " are not inside the "
                    + pages.pageCount() + " translated pages");
        }
        List<PhysicalRun> runs = new ArrayList<>();
        if (length == 0) {
            return runs;
        }
        long runStart = pages.physicalAddress(0) + offsetInFirstPage;
        long runFileOffset = fileOffset;
        long expectedNext = pages.physicalAddress(0) + pageSize;
        long consumed = pageSize - offsetInFirstPage;
        int lastPage = (int) ((offsetInFirstPage + length - 1) / pageSize);
        for (int page = 1; page <= lastPage; page++) {
            long physical = pages.physicalAddress(page);
            if (physical != expectedNext) {
                long runLength = expectedNext - runStart;
                runs.add(new PhysicalRun(runStart, runLength, runFileOffset));
                runFileOffset += runLength;
                runStart = physical;
            }
            expectedNext = physical + pageSize;
            consumed += pageSize;
        }
        long overshoot = consumed - length;
        runs.add(new PhysicalRun(runStart, expectedNext - overshoot - runStart, runFileOffset));
        return runs;
    }
}
