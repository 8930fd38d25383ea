// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.List;

/**
 * The board the appliance decided it runs on, and why.
 *
 * @param profile    the profile in force
 * @param reason     one sentence saying how it was chosen (override, which compatible string, or fallback)
 * @param compatible the device tree's compatible strings (empty without a device tree)
 * @param model      the device tree's model ("" without one)
 * @param cpu        what /proc/cpuinfo says
 * @param warnings   what an operator should look at: fallback to generic-linux, CPU facts that disagree with the
 *                   profile
 */
public record BoardDetection(BoardProfile profile, String reason, List<String> compatible, String model, CpuInfo cpu,
        List<String> warnings) {

    public BoardDetection {
        compatible = List.copyOf(compatible);
        warnings = List.copyOf(warnings);
    }

    /** The datapath limits of the detected board. */
    public BoardLimits limits() {
        return profile.limits();
    }
}
