// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.dpaa;

import org.layerstore.hal.bindings.hal.hal_h;

/** The format field of a frame descriptor (cfg bits 31..29). */
public enum FdFormat {
    /** One buffer; 9-bit offset, 20-bit length. */
    CONTIG(hal_h.LSH_FD_FORMAT_CONTIG(), false, false),
    /** One buffer; 29-bit length, no offset. */
    CONTIG_BIG(hal_h.LSH_FD_FORMAT_CONTIG_BIG(), true, false),
    /** A scatter/gather table at address + offset; 9-bit offset, 20-bit length. */
    SG(hal_h.LSH_FD_FORMAT_SG(), false, true),
    /** A scatter/gather table at the address; 29-bit length. */
    SG_BIG(hal_h.LSH_FD_FORMAT_SG_BIG(), true, true),
    /** A compound frame (not a TX format: FMan answers UNSUPPORTED_FORMAT). */
    COMPOUND(hal_h.LSH_FD_FORMAT_COMPOUND(), true, false),
    /** Any of the three reserved codes (001 is compound; 011, 101, 111). */
    RESERVED(-1, true, false);

    private final int word;
    private final boolean big;
    private final boolean scatterGather;

    FdFormat(int word, boolean big, boolean scatterGather) {
        this.word = word;
        this.big = big;
        this.scatterGather = scatterGather;
    }

    /** The format's bits in the cfg word (bits 31..29 set as the hardware reads them). */
    public int word() {
        if (this == RESERVED) {
            throw new IllegalStateException("RESERVED stands for several codes and has no single word");
        }
        return word;
    }

    /** True for the formats with a 29-bit length and no offset field. */
    public boolean big() {
        return big;
    }

    /** True when the address points at a scatter/gather table. */
    public boolean scatterGather() {
        return scatterGather;
    }

    static FdFormat of(int cfg) {
        int bits = cfg & hal_h.LSH_FD_FORMAT_MASK();
        for (FdFormat f : values()) {
            if (f != RESERVED && f.word == bits) {
                return f;
            }
        }
        return RESERVED;
    }
}
