// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

/**
 * Accessors for one 64-bit {@code /proc/<pid>/pagemap} entry (Documentation/admin-guide/mm/pagemap.rst):
 * bit 63 present, 62 swapped, 61 file-page or shared-anonymous, 56 exclusively mapped, bits 0-54 the
 * page frame number when present. Without CAP_SYS_ADMIN the kernel reports the PFN as 0.
 */
public final class PagemapEntry {

    public static final long PRESENT = 1L << 63;
    public static final long SWAPPED = 1L << 62;
    public static final long FILE_OR_SHARED = 1L << 61;
    public static final long EXCLUSIVE = 1L << 56;
    public static final long PFN_MASK = (1L << 55) - 1;

    private PagemapEntry() {
    }

    public static boolean present(long entry) {
        return (entry & PRESENT) != 0;
    }

    public static boolean swapped(long entry) {
        return (entry & SWAPPED) != 0;
    }

    public static boolean fileBacked(long entry) {
        return (entry & FILE_OR_SHARED) != 0;
    }

    /** The page frame number; meaningful only when the page is present. */
    public static long pfn(long entry) {
        return entry & PFN_MASK;
    }

    /** An entry for a present page with the given PFN and flag bits (for tests and test seams). */
    public static long of(long pfn, long flags) {
        if ((pfn & ~PFN_MASK) != 0) {
            throw new IllegalArgumentException("PFN 0x" + Long.toHexString(pfn) + " wider than 55 bits");
        }
        return flags | pfn;
    }
}
