// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;
import java.util.Optional;

/**
 * Whether a pinned page keeps its physical address. {@code mlock} keeps a page in memory, not in place:
 * compaction migrates mlocked pages while {@code vm.compact_unevictable_allowed} is 1 (the default), and a
 * device given the old physical address would read whatever the frame holds next. With the setting at 0
 * (or a kernel without compaction, which has no such setting) compaction leaves them alone.
 */
public final class PinStability {

    public static final String COMPACT_UNEVICTABLE = "vm.compact_unevictable_allowed";

    private PinStability() {
    }

    /** Why pinned pages may move on this kernel, or empty when compaction leaves them in place. */
    public static Optional<String> unstableReason(Sysctl sysctl) {
        try {
            Optional<String> value = sysctl.read(COMPACT_UNEVICTABLE);
            if (value.isEmpty() || value.get().equals("0")) {
                return Optional.empty();
            }
            return Optional.of(COMPACT_UNEVICTABLE + " is " + value.get() + ": compaction may migrate mlocked pages, so"
                    + " a physical address given to the hardware would not hold; set it to 0 (the image's"
                    + " /etc/sysctl.d/60-layerstore-dma.conf does)");
        } catch (IOException e) {
            return Optional.of("cannot read " + COMPACT_UNEVICTABLE + " (" + e.getMessage()
                    + "), so pinned pages may move");
        }
    }
}
