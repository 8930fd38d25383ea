// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.pagemap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.testing.FakePagemap;
import org.layerstore.datapath.testing.TestFiles;

class PagemapReaderTest {

    private static final int PAGE = 4096;

    @TempDir
    Path dir;

    @Test
    void aFaultedInFileMappingTranslatesToPresentFilePagesWithPhysicalAddresses() throws IOException {
        Path file = dir.resolve("f.bin");
        TestFiles.create(file, 1 << 20, 1);
        try (FileChannel in = FileChannel.open(file);
             FileMapping mapping = FileMapping.map(in, FileRange.whole(1 << 20), PageSize.system());
             PagemapReader reader = PagemapReader.self(PageSize.system())) {
            mapping.faultIn();
            PageTranslation pages = reader.translate(mapping.pages());
            assertEquals((1 << 20) / PageSize.system(), pages.pageCount());
            for (int i = 0; i < pages.pageCount(); i++) {
                assertTrue(PagemapEntry.present(pages.entry(i)), "page " + i + " present");
                assertTrue(PagemapEntry.fileBacked(pages.entry(i)), "page " + i + " file-backed");
            }
            // The tests run as root (CI does), where the kernel shows PFNs.
            assertEquals(java.util.Optional.empty(), pages.unusableReason());
        }
    }

    @Test
    void zeroPfnsOfPresentPagesAreReportedAsMissingCapSysAdmin() throws IOException {
        PagemapReader reader = new PagemapReader(new FakePagemap(page -> PagemapEntry.PRESENT | PagemapEntry.FILE_OR_SHARED), PAGE);
        String reason = reader.translate(0x10000, 3 * PAGE).unusableReason().orElseThrow();
        assertTrue(reason.contains("CAP_SYS_ADMIN"), reason);
        assertTrue(reason.contains("never send from address 0"), reason);
    }

    @Test
    void pagesNotPresentOrSwappedNameThePage() throws IOException {
        PagemapReader reader = new PagemapReader(new FakePagemap(page -> page == 0x11 ? 0
                : PagemapEntry.of(page + 100, PagemapEntry.PRESENT)), PAGE);
        assertEquals("page 1 (virtual 0x11000) is not present after faulting in (reclaimed under memory pressure, or never faulted)",
                reader.translate(0x10000, 2 * PAGE).unusableReason().orElseThrow());
        PagemapReader swapped = new PagemapReader(new FakePagemap(page -> PagemapEntry.SWAPPED | 5), PAGE);
        assertEquals("page 0 (virtual 0x10000) is swapped out", swapped.translate(0x10000, 1).unusableReason().orElseThrow());
    }

    @Test
    void anUnalignedRangeCoversEveryPageItTouches() throws IOException {
        PagemapReader reader = new PagemapReader(new FakePagemap(page -> PagemapEntry.of(page, PagemapEntry.PRESENT)), PAGE);
        PageTranslation pages = reader.translate(PAGE - 1, 2);
        assertEquals(2, pages.pageCount());
        assertEquals(0, pages.firstVirtualAddress());
        assertEquals(PAGE, pages.physicalAddress(1));
    }

    @Test
    void entryAccessorsDecodeTheKernelBits() {
        long entry = 0xa100000000174400L; // read from a real mapping: present, file, exclusive, PFN 0x174400
        assertTrue(PagemapEntry.present(entry));
        assertTrue(PagemapEntry.fileBacked(entry));
        assertEquals(0x174400, PagemapEntry.pfn(entry));
        assertEquals(false, PagemapEntry.swapped(entry));
    }
}
