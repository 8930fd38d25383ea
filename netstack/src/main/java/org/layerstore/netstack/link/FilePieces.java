// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Optional;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.netstack.buffer.PayloadPiece;

/**
 * Physical-address payload pieces: a byte range of a file, mapped, faulted in, pinned (mlock), translated
 * through pagemap and registered as a DMA region of a {@link FrameManagerLink}, so the frames that carry
 * it point at the file's pages and the CPU copies none of it. When the last reference goes (the peer's
 * cumulative ACK covered the whole piece and no frame is in flight) the region is unregistered and the
 * pages unpinned and unmapped. Event-loop confined, like the link: the mappings are too
 * ({@link FileMapping#mapConfined}), so their unmap costs no handshake with the JVM's other threads.
 */
public final class FilePieces implements FilePieceSource {

    private final DmaMemoryMap dma;
    private final PagemapReader pagemap;
    private final boolean physical;
    /** Single writer (the stack's thread); volatile for the telemetry reader. */
    private volatile long mappedBytes;

    public FilePieces(FrameManagerLink link, PagemapReader pagemap, boolean physicalAddresses) {
        this(link.dmaMemory(), pagemap, physicalAddresses);
    }

    FilePieces(DmaMemoryMap dma, PagemapReader pagemap, boolean physicalAddresses) {
        this.dma = dma;
        this.pagemap = pagemap;
        this.physical = physicalAddresses;
    }

    /**
     * The piece of {@code file} at {@code range}, by physical address (or SMMU-translated bus address).
     *
     * @throws IOException when the range cannot be mapped or pinned, or its pages have no usable
     *     physical address (pagemap without CAP_SYS_ADMIN reads PFN 0): the caller sends it another way
     */
    @Override
    public PayloadPiece piece(FileChannel file, FileRange range) throws IOException {
        FileMapping mapping = FileMapping.mapConfined(file, range, pagemap.pageSize());
        try {
            mapping.faultIn();
            mapping.pin();
            long[] pfns = null;
            if (physical) {
                PageTranslation pages = pagemap.translate(mapping.dmaPages());
                Optional<String> unusable = pages.unusableReason();
                if (unusable.isPresent()) {
                    throw new IOException("cannot send " + range + " by physical address: " + unusable.get());
                }
                pfns = pages.pageFrameNumbers();
            }
            DmaMemoryMap.Registration registration = dma.register(mapping.dmaPages(), pfns);
            long bytes = mapping.dmaPages().byteSize();
            mappedBytes += bytes;
            return PayloadPiece.of(mapping.payload(), () -> {
                dma.unregister(registration);
                mappedBytes -= bytes;
                mapping.close();
            });
        } catch (IOException | RuntimeException e) {
            mapping.close();
            throw e;
        }
    }

    /** Bytes of file pages mapped, pinned and registered for the pieces alive now. */
    public long mappedBytes() {
        return mappedBytes;
    }
}
