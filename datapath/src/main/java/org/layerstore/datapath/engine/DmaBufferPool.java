// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

/**
 * Fixed-size DMA buffers for S/G tables and headers (or whole bounced frames): pinned memory of this
 * process, registered with the frame manager, whose buses addresses live in a BMan pool. Acquire and
 * release go through the pool in bursts of up to 8, as drivers do; buffers never cross a page, so each
 * one's bus address is its page's frame plus its offset. Used under the engine's portal lock (or by the
 * one event-loop thread of a netstack link).
 */
public final class DmaBufferPool implements AutoCloseable {

    private final FrameManager portal;
    private final int bufferBytes;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final DmaRegion region;
    private final int bpid;
    private final Map<Long, MemorySegment> byBus = new HashMap<>();
    private final MemorySegment burst = arena.allocate(BmBuffer.BYTES * BmBuffer.BURST_MAX, 8);
    private final long[] cached = new long[BmBuffer.BURST_MAX];
    private int cachedCount;

    public DmaBufferPool(FrameManager portal, PagemapReader pagemap, int bufferBytes, int count, boolean smmu) throws IOException {
        int pageSize = pagemap.pageSize();
        if (Integer.bitCount(bufferBytes) != 1 || bufferBytes > pageSize) {
            throw new IllegalArgumentException("DMA buffers of " + bufferBytes + " bytes must be a power of two up to a page");
        }
        this.portal = portal;
        this.bufferBytes = bufferBytes;
        long bytes = (long) bufferBytes * count;
        bytes = (bytes + pageSize - 1) / pageSize * pageSize;
        this.memory = arena.allocate(bytes, pageSize);
        try {
            Libc.mlock(memory);
        } catch (NativeCallException e) {
            arena.close();
            throw new IOException("cannot pin " + bytes + " bytes of DMA buffers: " + e.getMessage(), e);
        }
        long[] pfns = null;
        if (!smmu) {
            PageTranslation pages = pagemap.translate(memory);
            String unusable = pages.unusableReason().orElse(null);
            if (unusable != null) {
                arena.close();
                throw new IOException("DMA buffers cannot be given to the frame manager: " + unusable);
            }
            pfns = pages.pageFrameNumbers();
        }
        this.region = portal.registerDma(memory, pfns);
        this.bpid = portal.createPool(count);
        for (int i = 0; i < count; i++) {
            long offset = (long) i * bufferBytes;
            long bus = smmu ? region.busBase() + offset : pfns[(int) (offset / pageSize)] * pageSize + offset % pageSize;
            byBus.put(bus, memory.asSlice(offset, bufferBytes));
            release(bus);
        }
        flush();
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    /** Free buffers: in the BMan pool and in this side's burst cache. */
    public int free() {
        return portal.poolCount(bpid) + cachedCount;
    }

    /** A free buffer's bus address, or -1 when the pool is empty. */
    public long acquire() {
        if (cachedCount == 0) {
            int available = portal.poolCount(bpid);
            int want = Math.min(BmBuffer.BURST_MAX, available);
            if (want == 0 || !portal.acquire(bpid, burst, want)) {
                return -1;
            }
            for (int i = 0; i < want; i++) {
                cached[cachedCount++] = BmBuffer.at(burst, i).address();
            }
        }
        return cached[--cachedCount];
    }

    /** The memory of the buffer at bus address {@code bus}. */
    public MemorySegment memory(long bus) {
        MemorySegment buffer = byBus.get(bus);
        if (buffer == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(bus) + " is not a buffer of this pool");
        }
        return buffer;
    }

    /** Gives a buffer back; released to the BMan pool in bursts. */
    public void release(long bus) {
        if (cachedCount < cached.length) {
            cached[cachedCount++] = bus;
            return;
        }
        flush();
        cached[cachedCount++] = bus;
    }

    /** The pool's BPID, for an RX port that takes its receive buffers from it. */
    public int bpid() {
        return bpid;
    }

    /** Gives every buffer released since the last burst back to the BMan pool now. */
    public void flush() {
        for (int i = 0; i < cachedCount; i++) {
            BmBuffer.at(burst, i).address(cached[i]).bpid(bpid);
        }
        if (cachedCount > 0) {
            portal.release(bpid, burst, cachedCount);
        }
        cachedCount = 0;
    }

    @Override
    public void close() {
        try {
            portal.destroyPool(bpid);
            portal.unregisterDma(region);
        } finally {
            arena.close();
        }
    }
}
