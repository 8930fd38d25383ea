// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.Libc;

/** Reads the page frame numbers of a range from /proc/self/pagemap (0 where not readable). */
final class PageFrames {

    private static final long PFN_MASK = (1L << 55) - 1;
    private static final long PRESENT = 1L << 63;

    private PageFrames() {
    }

    static long[] of(MemorySegment range) {
        long page = Libc.pageSize();
        int pages = (int) (range.byteSize() / page);
        int fd = Libc.open("/proc/self/pagemap", libc_h.O_RDONLY() | libc_h.O_CLOEXEC());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment entries = arena.allocate(ValueLayout.JAVA_LONG, pages);
            Libc.pread(fd, entries, range.address() / page * Long.BYTES);
            long[] pfns = new long[pages];
            for (int i = 0; i < pages; i++) {
                long e = entries.getAtIndex(ValueLayout.JAVA_LONG, i);
                pfns[i] = (e & PRESENT) != 0 ? e & PFN_MASK : 0;
            }
            return pfns;
        } finally {
            Libc.close(fd);
        }
    }
}
