// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.Set;

/**
 * The system-on-chip of a board.
 *
 * @param name       marketing name, e.g. LS1046A
 * @param compatible the SoC's device-tree compatible string, e.g. {@code fsl,ls1046a}; empty when none
 * @param cores      the number of CPU cores the SoC has; 0 when it varies (QEMU, generic hosts)
 * @param core       the core type, e.g. Cortex-A72
 * @param cpuPart    the ARM "CPU part" number in /proc/cpuinfo (0xd08 = Cortex-A72, 0xd03 = Cortex-A53);
 *                   empty when it varies
 * @param dpaa       the data-path acceleration generation: {@code DPAA1}, or {@code none}
 */
public record SocDescription(String name, String compatible, int cores, String core, String cpuPart, String dpaa) {

    private static final Set<String> DPAA_GENERATIONS = Set.of("DPAA1", "none");

    public SocDescription {
        if (name == null || name.isBlank()) {
            throw new BoardException("soc.name is required");
        }
        compatible = compatible == null ? "" : compatible;
        core = core == null ? "" : core;
        cpuPart = cpuPart == null ? "" : cpuPart;
        if (cores < 0) {
            throw new BoardException("soc.cores must be 0 (varies) or more, got " + cores);
        }
        if (!DPAA_GENERATIONS.contains(dpaa)) {
            throw new BoardException("soc.dpaa must be one of " + DPAA_GENERATIONS + ", got '" + dpaa + "'");
        }
    }

    public boolean hasDpaa() {
        return !dpaa.equals("none");
    }
}
