// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import org.layerstore.hal.bindings.hal.hal_h;

/** Why the emulated wire's receiving TCP peer dropped a frame. */
public enum WireDrop {
    /** Not Ethernet/IPv4/TCP, or an IPv4 fragment. */
    NOT_TCP(hal_h.LSH_WIRE_NOT_TCP()),
    /** The IPv4 total length does not fit the frame or its headers. */
    BAD_LENGTH(hal_h.LSH_WIRE_BAD_LENGTH()),
    BAD_IP_CHECKSUM(hal_h.LSH_WIRE_BAD_IP_CHECKSUM()),
    BAD_TCP_CHECKSUM(hal_h.LSH_WIRE_BAD_TCP_CHECKSUM()),
    /** The sequence number is not the next byte the peer expects. */
    OUT_OF_SEQUENCE(hal_h.LSH_WIRE_OUT_OF_SEQUENCE()),
    /** The bound socket refused the payload. */
    WRITE_FAILED(hal_h.LSH_WIRE_WRITE_FAILED());

    static final int COUNT = hal_h.LSH_WIRE_REASONS();

    private final int index;

    WireDrop(int index) {
        this.index = index;
    }

    int index() {
        return index;
    }
}
