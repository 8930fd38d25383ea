// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

import java.io.IOException;

/**
 * Where pagemap entries come from: the kernel's {@code /proc/<pid>/pagemap} in production
 * ({@link ProcPagemap}); tests may substitute a source that behaves as an unprivileged process sees it.
 */
public interface PagemapSource extends AutoCloseable {

    /**
     * Reads the entries of {@code count} consecutive virtual pages starting at page number
     * {@code firstPage} (virtual address / page size) into {@code into[offset..offset+count)}.
     */
    void read(long firstPage, long[] into, int offset, int count) throws IOException;

    @Override
    void close() throws IOException;
}
