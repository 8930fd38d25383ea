// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

/**
 * What the appliance runs on, as telemetry names it.
 *
 * @param board      the board: its profile's model and id ({@code LS1046A RDB Board (ls1046ardb)}, {@code Generic
 *                   Linux host (generic-linux)} off the silicon)
 * @param soc        the system-on-chip ({@code LS1046A}; {@code generic} on a host without DPAA); empty when unknown
 * @param halBackend the live frame-manager backend ({@code emulated}, {@code usdpaa}), or {@code none} when no
 *                   backend is usable
 * @param hostName   the host name ({@code <host>.local} over mDNS); empty when unknown
 * @param firmware   the installed image's version; empty when the system names none
 * @param slot       the A/B root slot booted from ({@code A}, {@code B}); empty off the A/B image
 */
public record PlatformIdentity(String board, String soc, String halBackend, String hostName, String firmware,
        String slot) {

    /** An identity without the firmware's host name, version and slot. */
    public PlatformIdentity(String board, String soc, String halBackend) {
        this(board, soc, halBackend, "", "", "");
    }

    /** An identity without a SoC and without the firmware's host name, version and slot. */
    public PlatformIdentity(String board, String halBackend) {
        this(board, "", halBackend);
    }
}
