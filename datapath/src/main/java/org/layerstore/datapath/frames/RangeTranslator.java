// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.pagemap.PageTranslation;
import org.layerstore.datapath.pagemap.PagemapReader;

/**
 * Steps 1 to 4 of the datapath for one file range: map it, fault it in, translate its pages through
 * pagemap, coalesce them into physical runs and plan the frames. Pinning (mlock) is added by the engine
 * that hands the frames to hardware.
 */
public final class RangeTranslator {

    private final DatapathLimits limits;
    private final PagemapReader pagemap;
    private final Segmenter segmenter;

    public RangeTranslator(DatapathLimits limits, PagemapReader pagemap) {
        this.limits = limits;
        this.pagemap = pagemap;
        this.segmenter = new Segmenter(limits);
    }

    public DatapathLimits limits() {
        return limits;
    }

    /**
     * Maps and translates {@code range} of {@code file} and plans frames of at most {@code mss} payload
     * bytes. An unusable translation (no PFNs without CAP_SYS_ADMIN, pages not present, addresses beyond
     * the frame manager's reach, an SMMU in the way) is returned with its reason, not thrown.
     *
     * @throws IOException when the range cannot be mapped or the file shrank while faulting it in
     */
    public TranslatedRange translate(FileChannel file, FileRange range, int mss) throws IOException {
        FileMapping mapping = FileMapping.map(file, range, pagemap.pageSize());
        try {
            mapping.faultIn();
            PageTranslation pages = pagemap.translate(mapping.pages());
            Optional<String> unusable = pages.unusableReason();
            if (unusable.isEmpty() && limits.busAddressing() == DatapathLimits.BusAddressing.SMMU_TRANSLATED) {
                unusable = Optional.of("the SMMU translates the frame manager's DMA: physical addresses from pagemap"
                        + " are not its bus addresses");
            }
            if (unusable.isPresent()) {
                return new TranslatedRange(mapping, List.of(), segmenter.plan(List.of(), mss), unusable);
            }
            long offsetInFirstPage = range.offset() - mapping.mappedOffset();
            List<PhysicalRun> runs = PhysicalRuns.coalesce(pages, offsetInFirstPage, range.length(), range.offset());
            try {
                return new TranslatedRange(mapping, runs, segmenter.plan(runs, mss), Optional.empty());
            } catch (IllegalArgumentException beyondReach) {
                return new TranslatedRange(mapping, runs, segmenter.plan(List.of(), mss),
                        Optional.of(beyondReach.getMessage()));
            }
        } catch (IOException | RuntimeException e) {
            mapping.close();
            throw e;
        }
    }
}
