// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

/** Who computes a frame's TCP checksum. */
public enum ChecksumMode {
    /** The CPU sums header and payload (reads every payload byte once, copies none). */
    SOFTWARE,
    /**
     * The frame manager computes it (DTC command bit): the TCP checksum field is left 0 and the parse
     * results in the headroom tell the hardware where L3 and L4 start, as the Linux driver does.
     */
    HARDWARE_DTC
}
