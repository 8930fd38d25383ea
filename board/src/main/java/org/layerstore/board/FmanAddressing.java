// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * What the frame manager's DMA addresses are. Frame and S/G descriptors carry 40-bit bus addresses; on
 * Layerscape they equal physical addresses unless the SMMU translates the FMan's stream ID, in which
 * case every buffer must be mapped through the IOMMU first and pagemap PFNs cannot be used as they are.
 */
public enum FmanAddressing {
    /** The SMMU bypasses the FMan stream: bus address = physical address. */
    PHYSICAL("physical"),
    /** The SMMU translates the FMan stream: buffers need an IOMMU mapping (IOVA). */
    SMMU_TRANSLATED("smmu-translated");

    private final String id;

    FmanAddressing(String id) {
        this.id = id;
    }

    @JsonValue
    public String id() {
        return id;
    }

    @JsonCreator
    public static FmanAddressing of(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst()
                .orElseThrow(() -> new BoardException("unknown FMan addressing '" + id + "', expected one of "
                        + Arrays.stream(values()).map(FmanAddressing::id).toList()));
    }
}
