// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.mapping.FileMapping;

/**
 * A mapped file range with its physical runs and frame plan, or the reason it cannot be sent by physical
 * address. Closing it gives the owner's reference on the mapping back (frames built from it keep theirs).
 */
public record TranslatedRange(FileMapping mapping, List<PhysicalRun> runs, FramePlan frames, Optional<String> unusableReason)
        implements AutoCloseable {

    public TranslatedRange {
        runs = List.copyOf(runs);
    }

    /** True when the runs and frames are real physical addresses the hardware can read. */
    public boolean usable() {
        return unusableReason.isEmpty();
    }

    @Override
    public void close() {
        mapping.close();
    }
}
