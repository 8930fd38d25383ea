// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

import java.util.Optional;

/**
 * The pagemap entries of consecutive virtual pages, and what they say about sending from them by
 * physical address.
 */
public final class PageTranslation {

    private final long firstVirtualAddress;
    private final int pageSize;
    private final long[] entries;

    PageTranslation(long firstVirtualAddress, int pageSize, long[] entries) {
        this.firstVirtualAddress = firstVirtualAddress;
        this.pageSize = pageSize;
        this.entries = entries;
    }

    /** The virtual address of the first page (page-aligned). */
    public long firstVirtualAddress() {
        return firstVirtualAddress;
    }

    public int pageSize() {
        return pageSize;
    }

    public int pageCount() {
        return entries.length;
    }

    /** The raw pagemap entry of page {@code index}. */
    public long entry(int index) {
        return entries[index];
    }

    /** The physical address of page {@code index} (PFN x page size). */
    public long physicalAddress(int index) {
        return PagemapEntry.pfn(entries[index]) * pageSize;
    }

    /** The page frame number of every page, as DMA registration takes them. */
    public long[] pageFrameNumbers() {
        long[] pfns = new long[entries.length];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = PagemapEntry.pfn(entries[i]);
        }
        return pfns;
    }

    /**
     * Why these pages cannot be sent by physical address, or empty when every page is present, not
     * swapped, and has a non-zero PFN.
     */
    public Optional<String> unusableReason() {
        for (int i = 0; i < entries.length; i++) {
            long entry = entries[i];
            long address = firstVirtualAddress + (long) i * pageSize;
            if (PagemapEntry.swapped(entry)) {
                return Optional.of("page " + i + " (virtual 0x" + Long.toHexString(address) + ") is swapped out");
            }
            if (!PagemapEntry.present(entry)) {
                return Optional.of("page " + i + " (virtual 0x" + Long.toHexString(address)
                        + ") is not present after faulting in (reclaimed under memory pressure, or never faulted)");
            }
            if (PagemapEntry.pfn(entry) == 0) {
                return Optional.of("pagemap reports PFN 0 for present pages: the process lacks CAP_SYS_ADMIN, so the"
                        + " kernel hides physical addresses (never send from address 0)");
            }
        }
        return Optional.empty();
    }
}
