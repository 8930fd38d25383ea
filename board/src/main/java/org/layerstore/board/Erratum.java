// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * Silicon errata that change the datapath's rules. Only errata with a datapath consequence belong here;
 * a profile naming any other is rejected, so a typo cannot silently drop a rule.
 */
public enum Erratum {
    /**
     * LS1043A FMan A050385: a DMA transaction split can corrupt a frame. The Linux DPAA driver
     * (drivers/net/ethernet/freescale/dpaa/dpaa_eth.c, DPAA_A050385_ALIGN) therefore starts data 256-byte
     * aligned and makes every scatter/gather fragment but the last a multiple of 256 bytes.
     */
    A050385(256, 256);

    private final int dataStartAlignment;
    private final int fragmentLengthMultiple;

    Erratum(int dataStartAlignment, int fragmentLengthMultiple) {
        this.dataStartAlignment = dataStartAlignment;
        this.fragmentLengthMultiple = fragmentLengthMultiple;
    }

    /** The alignment in bytes every frame's (and fragment's) data start must have. */
    public int dataStartAlignment() {
        return dataStartAlignment;
    }

    /** The multiple in bytes every fragment but the last must have as its length. */
    public int fragmentLengthMultiple() {
        return fragmentLengthMultiple;
    }

    @JsonValue
    public String id() {
        return name();
    }

    @JsonCreator
    public static Erratum of(String id) {
        return Arrays.stream(values()).filter(e -> e.name().equals(id)).findFirst()
                .orElseThrow(() -> new BoardException("erratum '" + id + "' has no datapath rule; known: "
                        + Arrays.stream(values()).map(Erratum::name).toList()));
    }
}
