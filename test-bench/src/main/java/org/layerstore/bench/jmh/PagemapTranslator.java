// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.jmh;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Translates a virtual address range of this process into physical addresses the way the datapath
 * does: one positional read (pread) of the range's 8-byte entries from {@code /proc/self/pagemap},
 * then PFN x page size for each present page (0 for an absent one). The C loop the harness compares
 * it with (pagemap_loop.c) does exactly the same, so the ratio is the cost of doing it from Java.
 */
public final class PagemapTranslator implements AutoCloseable {

    private static final long PRESENT = 1L << 63;
    private static final long PFN_MASK = (1L << 55) - 1;

    private final FileChannel pagemap;
    private final int pageSize;
    private final ByteBuffer buffer;
    private final LongBuffer entries;
    private final long[] physical;

    /** A translator for ranges of at most {@code maxPages} pages. */
    public PagemapTranslator(int pageSize, int maxPages) throws IOException {
        this.pagemap = FileChannel.open(Path.of("/proc/self/pagemap"), StandardOpenOption.READ);
        this.pageSize = pageSize;
        this.buffer = ByteBuffer.allocateDirect(maxPages * Long.BYTES).order(ByteOrder.nativeOrder());
        this.entries = buffer.asLongBuffer();
        this.physical = new long[maxPages];
    }

    /** The physical address of each page of {@code [address, address + length)}; valid until the next call. */
    public long[] translate(long address, long length) throws IOException {
        long firstPage = address / pageSize;
        int pages = (int) ((address + length + pageSize - 1) / pageSize - firstPage);
        if (pages > physical.length) {
            throw new IllegalArgumentException(length + " bytes span " + pages + " pages; this translator holds " + physical.length);
        }
        buffer.clear().limit(pages * Long.BYTES);
        long position = firstPage * Long.BYTES;
        while (buffer.hasRemaining()) {
            int n = pagemap.read(buffer, position + buffer.position());
            if (n <= 0) {
                throw new IOException("short read of /proc/self/pagemap at entry " + (position / Long.BYTES));
            }
        }
        for (int i = 0; i < pages; i++) {
            long entry = entries.get(i);
            physical[i] = (entry & PRESENT) != 0 ? (entry & PFN_MASK) * pageSize : 0;
        }
        return physical;
    }

    @Override
    public void close() throws IOException {
        pagemap.close();
    }
}
