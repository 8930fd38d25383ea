// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Optional;

/** Translates mapped memory into pagemap entries, one per page. */
public final class PagemapReader implements AutoCloseable {

    private final PagemapSource source;
    private final int pageSize;

    public PagemapReader(PagemapSource source, int pageSize) {
        if (pageSize <= 0 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size " + pageSize + " is not a power of two");
        }
        this.source = source;
        this.pageSize = pageSize;
    }

    /** A reader of this process's own pagemap. */
    public static PagemapReader self(int pageSize) throws IOException {
        return new PagemapReader(ProcPagemap.self(), pageSize);
    }

    /** The entries of every page {@code memory} touches (memory need not be page-aligned). */
    public PageTranslation translate(MemorySegment memory) throws IOException {
        return translate(memory.address(), memory.byteSize());
    }

    /** The entries of every page of {@code [address, address + length)}. */
    public PageTranslation translate(long address, long length) throws IOException {
        long first = address / pageSize;
        long end = length == 0 ? first : (address + length + pageSize - 1) / pageSize;
        long count = end - first;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(length + " bytes are too many pages to translate at once");
        }
        long[] entries = new long[(int) count];
        source.read(first, entries, 0, entries.length);
        return new PageTranslation(first * pageSize, pageSize, entries);
    }

    /**
     * Why this reader's page frame numbers cannot be used as physical addresses (without CAP_SYS_ADMIN the
     * kernel reports PFN 0), probed on one page of fresh memory; empty when they can.
     */
    public Optional<String> frameNumbersUnusableReason() throws IOException {
        try (Arena probe = Arena.ofConfined()) {
            MemorySegment page = probe.allocate(pageSize, pageSize);
            page.set(ValueLayout.JAVA_BYTE, 0, (byte) 1);
            return translate(page).unusableReason();
        }
    }

    public int pageSize() {
        return pageSize;
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
