// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapEntry;
import org.layerstore.datapath.pagemap.PagemapReader;

import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;

/**
 * The memory a frame-manager link's hardware may read by bus address: regions registered for DMA on its
 * portal, looked up by virtual address, so sending a payload slice finds its bus addresses instead of
 * walking pagemap per packet (F-Stack's per-region page table). A slice outside every region is not
 * DMA-able and the link copies it. Event-loop confined.
 */
public final class DmaMemoryMap {

    /** One registered region; in physical mode each page's frame, in SMMU mode one contiguous bus range. */
    public static final class Registration {
        private final DmaRegion region;
        private final long[] pageFrameNumbers;
        private boolean registered = true;

        private Registration(DmaRegion region, long[] pageFrameNumbers) {
            this.region = region;
            this.pageFrameNumbers = pageFrameNumbers;
        }

        long start() {
            return region.range().address();
        }

        long end() {
            return start() + region.range().byteSize();
        }
    }

    private final FrameManager portal;
    private final int pageSize;
    private final TreeMap<Long, Registration> byStart = new TreeMap<>();
    private long registeredBytes;

    DmaMemoryMap(FrameManager portal, int pageSize) {
        this.portal = portal;
        this.pageSize = pageSize;
    }

    /**
     * Registers page-aligned {@code pages} for DMA: {@code pageFrameNumbers} gives each page's frame in
     * physical mode (pinned, from pagemap), null in SMMU mode.
     */
    public Registration register(MemorySegment pages, long[] pageFrameNumbers) {
        Registration r = new Registration(portal.registerDma(pages, pageFrameNumbers), pageFrameNumbers);
        byStart.put(r.start(), r);
        registeredBytes += pages.byteSize();
        return r;
    }

    /** Unregisters a region; frames still in flight into it would complete with a DMA error. */
    public void unregister(Registration r) {
        if (!r.registered) {
            throw new IllegalStateException("region already unregistered");
        }
        r.registered = false;
        byStart.remove(r.start());
        registeredBytes -= r.region.range().byteSize();
        portal.unregisterDma(r.region);
    }

    /** Bytes registered now. */
    public long registeredBytes() {
        return registeredBytes;
    }

    /**
     * Splits {@code bytes} into bus-contiguous runs, writing their bus addresses and lengths from index
     * {@code first}; returns the index after the last run, or -1 when the bytes are not inside one
     * registered region or need more runs than {@code addresses} has room for.
     */
    int runs(MemorySegment bytes, long[] addresses, int[] lengths, int first) {
        long start = bytes.address();
        long end = start + bytes.byteSize();
        Map.Entry<Long, Registration> floor = byStart.floorEntry(start);
        if (floor == null || end > floor.getValue().end()) {
            return -1;
        }
        Registration r = floor.getValue();
        int n = first;
        long at = start;
        while (at < end) {
            long bus = busAddress(r, at);
            long runEnd = Math.min(end, (at / pageSize + 1) * pageSize);
            // Coalesce the following pages while their frames follow each other.
            while (runEnd < end && busAddress(r, runEnd) == bus + (runEnd - at)) {
                runEnd = Math.min(end, runEnd + pageSize);
            }
            if (n > 0 && n > first && addresses[n - 1] + lengths[n - 1] == bus) {
                lengths[n - 1] += (int) (runEnd - at);
            } else {
                if (n == addresses.length) {
                    return -1;
                }
                addresses[n] = bus;
                lengths[n++] = (int) (runEnd - at);
            }
            at = runEnd;
        }
        return n;
    }

    /**
     * The debug check of pinning: the first page of {@code bytes} (in a physically registered region) that is no
     * longer at the page frame it was registered with, re-read through {@code pagemap}, or empty when none moved
     * (or the bytes are in no such region). mlock keeps a page in memory, not in place: compaction may move it.
     */
    Optional<String> moved(MemorySegment bytes, PagemapReader pagemap) throws IOException {
        Map.Entry<Long, Registration> floor = byStart.floorEntry(bytes.address());
        if (floor == null || bytes.address() + bytes.byteSize() > floor.getValue().end()
                || floor.getValue().pageFrameNumbers == null || bytes.byteSize() == 0) {
            return Optional.empty();
        }
        Registration r = floor.getValue();
        int first = (int) ((bytes.address() - r.start()) / pageSize);
        PageTranslation now = pagemap.translate(bytes);
        for (int i = 0; i < now.pageCount(); i++) {
            long entry = now.entry(i);
            long pfn = PagemapEntry.present(entry) && !PagemapEntry.swapped(entry) ? PagemapEntry.pfn(entry) : 0;
            long registered = r.pageFrameNumbers[first + i];
            if (pfn != registered) {
                return Optional.of("pinned page at 0x" + Long.toHexString(now.firstVirtualAddress() + (long) i * pageSize)
                        + " moved from page frame 0x" + Long.toHexString(registered) + " to "
                        + (pfn == 0 ? "none (not present)" : "0x" + Long.toHexString(pfn)));
            }
        }
        return Optional.empty();
    }

    private long busAddress(Registration r, long virtual) {
        long offset = virtual - r.start();
        if (r.pageFrameNumbers == null) {
            return r.region.busBase() + offset;
        }
        return r.pageFrameNumbers[(int) (offset / pageSize)] * pageSize + offset % pageSize;
    }
}
