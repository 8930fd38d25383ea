// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.layerstore.datapath.FileRange;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.ResourceLimit;

/**
 * A file range mapped read-only into this process, the memory every zero-copy engine sends from.
 *
 * <p>The mapping is page-aligned around the range and lives in its own {@link Arena}, shared unless
 * {@link #mapConfined} made it. Its lifetime
 * is reference-counted: the owner holds one reference from {@link #map} to {@link #close}, and every
 * in-flight frame or zero-copy send that points into the pages holds one more ({@link #retain} /
 * {@link #release}). The pages are unmapped only when the last reference is gone, so hardware that still
 * reads a page by its physical address never reads a page that was given back to the kernel.
 *
 * <p>Hazard: when the file is truncated below the range, touching a mapped page past the new end raises
 * SIGBUS. The JVM turns that into an {@link InternalError} for FFM accesses; {@link #faultIn} converts it
 * into a {@link FileShrankException}. Code that reads the mapped bytes itself must do the same.
 */
public final class FileMapping implements AutoCloseable {

    private final FileRange range;
    private final int pageSize;
    private final long mappedOffset;
    private final Arena arena;
    private final MemorySegment mapped;
    private final MemorySegment payload;
    private final AtomicInteger references = new AtomicInteger(1);
    private volatile boolean ownerClosed;
    private volatile boolean pinned;
    /** Written after faulting so the page touches cannot be optimised away. */
    private volatile byte touchSink;

    private FileMapping(FileRange range, int pageSize, long mappedOffset, Arena arena, MemorySegment mapped) {
        this.range = range;
        this.pageSize = pageSize;
        this.mappedOffset = mappedOffset;
        this.arena = arena;
        this.mapped = mapped;
        this.payload = mapped.asSlice(range.offset() - mappedOffset, range.length());
    }

    /**
     * Maps {@code range} of {@code file} read-only. The range must lie inside the file as it is now.
     *
     * @throws IOException when the range is past the end of the file or the kernel refuses the mapping
     */
    public static FileMapping map(FileChannel file, FileRange range, int pageSize) throws IOException {
        return map(file, range, pageSize, Arena::ofShared);
    }

    /**
     * Maps {@code range} of {@code file} read-only for the calling thread alone: only it may read the pages
     * and {@link #close} or {@link #release} the mapping (others get a {@link WrongThreadException}). For a
     * caller confined to one thread (the stack's event loop), so that the unmap is a plain {@code munmap}:
     * closing a shared arena stops at a handshake with every other Java thread, on the VM thread, which on a
     * busy machine took milliseconds per mapping (docs/netstack.md, small requests on the frame manager).
     *
     * @throws IOException when the range is past the end of the file or the kernel refuses the mapping
     */
    public static FileMapping mapConfined(FileChannel file, FileRange range, int pageSize) throws IOException {
        return map(file, range, pageSize, Arena::ofConfined);
    }

    private static FileMapping map(FileChannel file, FileRange range, int pageSize, Supplier<Arena> arenas)
            throws IOException {
        long size = file.size();
        if (range.end() > size) {
            throw new IOException("cannot map [" + range.offset() + ", " + range.end() + "): the file has only " + size
                    + " bytes");
        }
        long start = PageSize.alignDown(range.offset(), pageSize);
        // The JDK refuses to map past the end of a read-only file; the kernel maps the last partial page
        // whole anyway, so the mapping ends at the file's end rather than at a page boundary.
        long end = Math.min(PageSize.alignUp(range.end(), pageSize), size);
        Arena arena = arenas.get();
        try {
            MemorySegment mapped = end == start ? MemorySegment.NULL.reinterpret(0)
                    : file.map(FileChannel.MapMode.READ_ONLY, start, end - start, arena);
            return new FileMapping(range, pageSize, start, arena, mapped);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw new IOException("mmap of [" + start + ", " + end + ") failed: " + e.getMessage(), e);
        }
    }

    /** The mapped range. */
    public FileRange range() {
        return range;
    }

    /** The page size the mapping is aligned to. */
    public int pageSize() {
        return pageSize;
    }

    /** Exactly the bytes of the range. */
    public MemorySegment payload() {
        return payload;
    }

    /** The mapping around the range: page-aligned at the start, ending at a page boundary or the file's end. */
    public MemorySegment pages() {
        return mapped;
    }

    /**
     * The mapping rounded up to whole pages, as DMA registration and pinning see it: the kernel maps the
     * file's last partial page whole (bytes past the end read as zero), so this never reaches beyond what
     * is mapped.
     */
    public MemorySegment dmaPages() {
        return mapped.reinterpret(PageSize.alignUp(mapped.byteSize(), pageSize));
    }

    /** The virtual address of the first byte of the range. */
    public long payloadAddress() {
        return payload.address();
    }

    /** The file offset of the first mapped page. */
    public long mappedOffset() {
        return mappedOffset;
    }

    /**
     * Touches every page so the kernel maps them (page cache reads happen here, not on the wire path).
     *
     * @throws FileShrankException when the file was truncated below the range (the SIGBUS case)
     */
    public void faultIn() throws FileShrankException {
        long length = mapped.byteSize();
        byte sum = 0;
        try {
            for (long at = 0; at < length; at += pageSize) {
                sum += mapped.get(ValueLayout.JAVA_BYTE, at);
            }
        } catch (InternalError e) {
            throw new FileShrankException("file shrank below the mapped range [" + range.offset() + ", " + range.end()
                    + ") while its pages were faulted in (SIGBUS caught: " + e.getMessage() + ")", e);
        }
        touchSink = sum;
    }

    /**
     * Pins the mapped pages in memory (mlock), so their physical addresses stay valid while hardware
     * reads them. The pins go with the mapping: unmapping unlocks the pages.
     *
     * @throws PinRefusedException when the kernel refuses, with the memlock limit that was in the way
     */
    public void pin() throws PinRefusedException {
        if (pinned) {
            return;
        }
        try {
            Libc.mlock(mapped);
            pinned = true;
        } catch (NativeCallException e) {
            ResourceLimit limit = ResourceLimit.memlock();
            throw new PinRefusedException("mlock of " + mapped.byteSize() + " bytes of " + range + " refused ("
                    + e.errno().symbol() + "); RLIMIT_MEMLOCK is " + describe(limit.soft()) + " (hard " + describe(limit.hard())
                    + "): raise LimitMEMLOCK or grant CAP_IPC_LOCK", e);
        }
    }

    /** True once {@link #pin()} succeeded. */
    public boolean pinned() {
        return pinned;
    }

    private static String describe(long limit) {
        return limit == ResourceLimit.UNLIMITED ? "unlimited" : limit + " bytes";
    }

    /**
     * Takes a reference for something that will read the pages later (a frame, a zero-copy send).
     *
     * @return false when the mapping is already unmapped, in which case nothing was taken
     */
    public boolean retain() {
        int now;
        do {
            now = references.get();
            if (now == 0) {
                return false;
            }
        } while (!references.compareAndSet(now, now + 1));
        return true;
    }

    /** Gives back a reference from {@link #retain}; the last one unmaps the pages. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            arena.close();
        } else if (left < 0) {
            throw new IllegalStateException("mapping of " + range + " released more often than retained");
        }
    }

    /** References held now (the owner's included until {@link #close}). */
    public int references() {
        return references.get();
    }

    /** True once the pages are unmapped. */
    public boolean isUnmapped() {
        return !arena.scope().isAlive();
    }

    /** The owner is done with the mapping; it is unmapped when every frame still using it is released. */
    @Override
    public void close() {
        if (!ownerClosed) {
            ownerClosed = true;
            release();
        }
    }

    @Override
    public String toString() {
        return "FileMapping" + range + " references=" + references.get();
    }
}
