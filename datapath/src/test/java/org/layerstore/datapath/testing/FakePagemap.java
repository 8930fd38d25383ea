// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.testing;

import java.util.function.LongUnaryOperator;

import org.layerstore.datapath.pagemap.PagemapSource;

/**
 * A pagemap whose entries a test chooses per virtual page number: the seam for what the kernel shows
 * processes without CAP_SYS_ADMIN (PFN 0), swapped pages, or fragmented page caches.
 */
public final class FakePagemap implements PagemapSource {

    private final LongUnaryOperator entryOfPage;

    public FakePagemap(LongUnaryOperator entryOfPage) {
        this.entryOfPage = entryOfPage;
    }

    @Override
    public void read(long firstPage, long[] into, int offset, int count) {
        for (int i = 0; i < count; i++) {
            into[offset + i] = entryOfPage.applyAsLong(firstPage + i);
        }
    }

    @Override
    public void close() {
    }
}
