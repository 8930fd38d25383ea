// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;

/** Which implementation of the HAL's frame-manager API a board runs. */
public enum HalBackend {
    /** The software model of the DPAA frame manager: any Linux host, QEMU. */
    EMULATED,
    /** NXP's user-space DPAA (USDPAA) portals on the silicon. */
    USDPAA;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static HalBackend of(String id) {
        return Arrays.stream(values()).filter(b -> b.id().equals(id)).findFirst()
                .orElseThrow(() -> new BoardException("unknown HAL backend '" + id + "', expected one of "
                        + Arrays.stream(values()).map(HalBackend::id).toList()));
    }
}
