// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.frames.PhysicalRun;
import org.layerstore.datapath.frames.PhysicalRuns;
import org.layerstore.datapath.frames.Segmenter;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.mapping.PinRefusedException;
import org.layerstore.datapath.mapping.PinStability;
import org.layerstore.datapath.mapping.Sysctl;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.dpaa.SgEntry;
import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.fm.Rejections;

/**
 * {@code offload}: the descriptor path (the patent's invention). The range is mapped, faulted in and
 * pinned; its pages are translated through pagemap and registered for DMA; physically contiguous pages
 * become runs; each TCP segment becomes a frame whose S/G table (header buffer + payload entries by
 * physical address) lives in a pinned DMA buffer from a BMan pool; frames are enqueued to the TX queue of
 * the FMan port bound to the connection, and released on their TX confirmation. The CPU copies nothing
 * (except under erratum A050385, which bounces every frame).
 *
 * <p>Its portal comes from the appliance's {@link FrameManagers} (the live backend, the board's TX ports and ring
 * depths), opened at the first transfer. The portal serves one thread at a time, so every portal call goes through
 * this engine's lock.
 * {@code auto} picks this engine only on a hardware backend: the emulated one proves the path, it does
 * not make it faster.
 */
public final class OffloadEngine extends AbstractEngine implements AutoCloseable {

    /** S/G table buffer: TX headroom (64), 16 entries (256), then the 54-byte header; 512 keeps it in a page. */
    static final int SG_BUFFER_BYTES = 512;
    static final int SG_TABLE_OFFSET = FrameDescriptor.HEADROOM;
    static final int HEADER_OFFSET = SG_TABLE_OFFSET + SgEntry.MAX_ENTRIES * (int) SgEntry.BYTES;
    /** A bounced frame's data starts 256-byte aligned (A050385) after the headroom. */
    static final int BOUNCE_DATA_OFFSET = DatapathLimits.A050385_ALIGNMENT;

    private final DatapathLimits limits;
    private final OffloadSettings settings;
    private final FrameManagers portals;
    private final Sysctl sysctl;
    private final List<Integer> ports;
    private final Object portalLock = new Object();
    private final Deque<Integer> freePorts;
    private final Map<Integer, OffloadTransfer> byTxQueue = new HashMap<>();
    private volatile Availability availability;
    private volatile DmaErrorListener dmaErrors = DmaErrorListener.NONE;
    private String backend;
    private FrameManagers.Portal opened;
    private FrameManager portal;
    private PagemapReader pagemap;
    private DmaBufferPool buffers;
    private Rejections rejections;
    private final Arena arena = Arena.ofShared();
    private long transfers;
    private long erroredFramesFreed;
    private long pinsMoved;

    /**
     * @param limits   what every frame obeys; the portal is opened with the same frame size, erratum and addressing
     * @param portals  where the portal is opened: its backend, TX ports and ring depths are the board's
     * @param settings frames in flight per connection, checksums, capture
     */
    public OffloadEngine(DatapathLimits limits, FrameManagers portals, OffloadSettings settings) {
        this(limits, portals, settings, Sysctl.system());
    }

    /** As the public constructor, reading the kernel's settings (vm.compact_unevictable_allowed) from {@code sysctl}. */
    OffloadEngine(DatapathLimits limits, FrameManagers portals, OffloadSettings settings, Sysctl sysctl) {
        super("offload");
        this.limits = limits;
        this.settings = settings;
        this.portals = portals;
        this.sysctl = sysctl;
        this.ports = portals.boardConfig().ports();
        this.freePorts = new ArrayDeque<>(ports);
    }

    public OffloadSettings settings() {
        return settings;
    }

    /** Who is told of frames confirmed with a DMA error (telemetry, in the appliance). */
    public void onDmaError(DmaErrorListener listener) {
        this.dmaErrors = listener;
    }

    DmaErrorListener dmaErrors() {
        return dmaErrors;
    }

    /** Opening maps, locks, faults in and registers the whole range for DMA before the first frame. */
    @Override
    public boolean opensQuickly() {
        return false;
    }

    /** True: frames queued to the frame manager are transmitted, and confirmed, after the call returns. */
    @Override
    public boolean usesSocketAfterWrite() {
        return true;
    }

    @Override
    public Availability availability() {
        Availability known = availability;
        if (known == null) {
            known = probe();
            availability = known;
        }
        return known;
    }

    /** True when the frames go to real hardware (not the emulator): only then does {@code auto} choose it. */
    public boolean hardwareBacked() {
        return availability().available() && !FrameManagerBackends.EMULATED.equals(backend);
    }

    private Availability probe() {
        org.layerstore.hal.fm.BackendAvailability fm = portals.backend();
        if (!fm.available()) {
            return Availability.unavailable("no frame manager: " + fm.reason());
        }
        backend = fm.backend();
        // The emulated FMan reads by virtual address, so a moved page is only a hazard for real hardware.
        if (!FrameManagerBackends.EMULATED.equals(backend) && limits.busAddressing() == DatapathLimits.BusAddressing.PHYSICAL) {
            String moving = PinStability.unstableReason(sysctl).orElse(null);
            if (moving != null) {
                return Availability.unavailable("pinned pages may move on this kernel: " + moving);
            }
        }
        if (limits.erratumA050385() && bounceBufferBytes() > PageSize.system()) {
            return Availability.unavailable("A050385 bounce buffers for " + limits.macMaxFrameBytes()
                    + "-byte frames do not fit a page");
        }
        if (limits.busAddressing() == DatapathLimits.BusAddressing.PHYSICAL) {
            String hidden = pfnsHiddenReason();
            if (hidden != null) {
                return Availability.unavailable(hidden);
            }
        }
        return Availability.available("frame manager backend " + backend + " (" + fm.reason() + "); "
                + (limits.busAddressing() == DatapathLimits.BusAddressing.PHYSICAL ? "physical addresses from pagemap"
                : "SMMU bus addresses"));
    }

    private static String pfnsHiddenReason() {
        int pageSize = PageSize.system();
        try (PagemapReader reader = PagemapReader.self(pageSize)) {
            return reader.frameNumbersUnusableReason().orElse(null);
        } catch (IOException e) {
            return "cannot read /proc/self/pagemap: " + e.getMessage();
        }
    }

    private int bounceBufferBytes() {
        return Integer.highestOneBit(BOUNCE_DATA_OFFSET + limits.macMaxFrameBytes() - 1) << 1;
    }

    @Override
    protected Transfer start(OpenFile file, FileRange range) throws IOException {
        synchronized (portalLock) {
            openPortal();
        }
        Integer port;
        synchronized (portalLock) {
            port = freePorts.poll();
        }
        if (port == null) {
            throw new EngineRefusedException("offload engine busy: all " + ports.size()
                    + " TX ports carry a transfer");
        }
        FileMapping mapping = null;
        DmaRegion region = null;
        long[] registeredPfns = null;
        try {
            mapping = FileMapping.map(file.channel(), range, pagemap.pageSize());
            mapping.faultIn();
            try {
                mapping.pin();
            } catch (PinRefusedException e) {
                throw new EngineRefusedException(e.getMessage(), e);
            }
            statistics().syscalls(2);
            MemorySegment pages = mapping.dmaPages();
            List<PhysicalRun> runs;
            long offsetInFirstPage = range.offset() - mapping.mappedOffset();
            if (limits.busAddressing() == DatapathLimits.BusAddressing.PHYSICAL) {
                PageTranslation translation = pagemap.translate(pages);
                String unusable = translation.unusableReason().orElse(null);
                if (unusable != null) {
                    throw new EngineRefusedException("cannot send " + range + " by physical address: " + unusable);
                }
                long[] pfns = new long[translation.pageCount()];
                for (int i = 0; i < pfns.length; i++) {
                    pfns[i] = translation.physicalAddress(i) / pagemap.pageSize();
                }
                synchronized (portalLock) {
                    region = portal.registerDma(pages, pfns);
                }
                registeredPfns = pfns;
                runs = PhysicalRuns.coalesce(translation, offsetInFirstPage, range.length(), range.offset());
            } else {
                synchronized (portalLock) {
                    region = portal.registerDma(pages, null);
                }
                runs = range.length() == 0 ? List.of()
                        : List.of(new PhysicalRun(region.busBase() + offsetInFirstPage, range.length(), range.offset()));
            }
            statistics().runs(runs.size(), range.length());
            long id;
            synchronized (portalLock) {
                id = ++transfers;
            }
            PinCheck pinCheck = settings.verifyPins() && registeredPfns != null ? new PinCheck(pagemap, mapping, registeredPfns)
                    : null;
            return new OffloadTransfer(this, file, range, mapping, region, port,
                    new Segmenter(limits).frames(runs, limits.maxSegmentPayload()), id, pinCheck);
        } catch (IOException | RuntimeException e) {
            synchronized (portalLock) {
                if (region != null) {
                    portal.unregisterDma(region);
                }
                freePorts.add(port);
            }
            if (mapping != null) {
                mapping.close();
            }
            throw e;
        }
    }

    private void openPortal() throws IOException {
        if (portal != null) {
            return;
        }
        Availability known = availability();
        if (!known.available()) {
            throw new IllegalStateException("engine offload is " + known);
        }
        // The board's ports and ring depths; the frame rules those the frames are built for.
        FrameManagerConfig config = portals.boardConfig().withMaxFrameSize(limits.macMaxFrameBytes())
                .withA050385(limits.erratumA050385())
                .withSmmu(limits.busAddressing() == DatapathLimits.BusAddressing.SMMU_TRANSLATED);
        FrameManagers.Portal fresh = portals.open(config);
        try {
            pagemap = PagemapReader.self(PageSize.system());
            int bufferBytes = limits.erratumA050385() ? bounceBufferBytes() : SG_BUFFER_BYTES;
            buffers = new DmaBufferPool(fresh.frameManager(), pagemap, bufferBytes, bufferCount(), config.smmu());
            rejections = Rejections.allocate(arena, 16);
            opened = fresh;
            portal = fresh.frameManager();
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    DatapathLimits limits() {
        return limits;
    }

    Object portalLock() {
        return portalLock;
    }

    /** Under the portal lock. */
    FrameManager portal() {
        return portal;
    }

    /** Under the portal lock. */
    DmaBufferPool buffers() {
        return buffers;
    }

    /** Under the portal lock: {@code frames} came back on a port's error queue and their buffers were freed. */
    void erroredFramesFreed(int frames) {
        erroredFramesFreed += frames;
    }

    /** Frames FMan could not send that came back on a port's error queue, each of whose buffers was freed once. */
    public long erroredFramesFreed() {
        synchronized (portalLock) {
            return erroredFramesFreed;
        }
    }

    /** Under the portal lock: the pin check found a pinned page moved (a DMA error of the transfer). */
    void pinMoved() {
        pinsMoved++;
    }

    /** Pinned pages the debug check ({@link OffloadSettings#verifyPins()}) found moved. */
    public long pinsMoved() {
        synchronized (portalLock) {
            return pinsMoved;
        }
    }

    /** DMA buffers free for new frames: all of them once nothing is in flight; 0 before the portal opened. */
    public int freeBuffers() {
        synchronized (portalLock) {
            return buffers == null ? 0 : buffers.free();
        }
    }

    /** How many DMA buffers the engine has (TX ports x frames in flight), in flight or free. */
    public int bufferCount() {
        return ports.size() * settings.framesInFlight();
    }

    /** Under the portal lock: a transfer's TX queue now carries frames. */
    void register(int txFqid, OffloadTransfer transfer) {
        byTxQueue.put(txFqid, transfer);
    }

    /** Under the portal lock: the transfer is over; its port is free again. */
    void unregister(int txFqid, int port) {
        byTxQueue.remove(txFqid);
        freePorts.add(port);
    }

    /** Under the portal lock: hands every enqueue rejection to the transfer whose queue refused it. */
    void dispatchRejections() {
        int n = portal.dequeueRejections(rejections);
        for (int i = 0; i < n; i++) {
            OffloadTransfer owner = byTxQueue.get(rejections.fqid(i));
            if (owner != null) {
                owner.rejected(rejections.descriptor(i).address(), rejections.code(i));
            }
        }
    }

    @Override
    public void close() {
        synchronized (portalLock) {
            if (portal != null) {
                buffers.close();
                opened.close();
                portal = null;
            }
            if (pagemap != null) {
                try {
                    pagemap.close();
                } catch (IOException e) {
                    // /proc/self/pagemap close failing leaves nothing to clean up
                }
            }
        }
        arena.close();
    }
}
