// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One board, as its declarative profile (a YAML file under {@code org/layerstore/board/profiles/}) describes it.
 *
 * @param id           the profile's name, also its file name and the config/CLI override value
 * @param model        the board's name for people
 * @param compatible   device-tree compatible strings that identify the board (most specific first); empty for the
 *                     fallback profile
 * @param yoctoMachine the Yocto MACHINE that builds its image; empty when none
 * @param soc          the system-on-chip
 * @param fmanPorts    the frame manager's MACs as the board wires them
 * @param datapath     frame sizes, ring depth, addressing, errata and buffer pools
 * @param thermalZones thermal zone types the board's device tree declares (as /sys/class/thermal shows them)
 * @param leds         LEDs the appliance may drive
 * @param hal          the HAL backend to run
 */
public record BoardProfile(String id, String model, List<String> compatible, String yoctoMachine, SocDescription soc,
        List<FmanPort> fmanPorts, DatapathProfile datapath, List<String> thermalZones, List<BoardLed> leds,
        HalBackend hal) {

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public BoardProfile {
        if (id == null || !ID.matcher(id).matches()) {
            throw new BoardException("profile id '" + id + "' must be 1-40 lower-case letters, digits or '-'");
        }
        if (model == null || model.isBlank()) {
            throw new BoardException("profile " + id + ": model is required");
        }
        if (soc == null || datapath == null || hal == null) {
            throw new BoardException("profile " + id + ": soc, datapath and hal are required");
        }
        compatible = compatible == null ? List.of() : List.copyOf(compatible);
        yoctoMachine = yoctoMachine == null ? "" : yoctoMachine;
        fmanPorts = fmanPorts == null ? List.of() : List.copyOf(fmanPorts);
        thermalZones = thermalZones == null ? List.of() : List.copyOf(thermalZones);
        leds = leds == null ? List.of() : List.copyOf(leds);
        if (hal == HalBackend.USDPAA && !soc.hasDpaa()) {
            throw new BoardException("profile " + id + ": the usdpaa HAL backend needs a DPAA SoC");
        }
        if (!fmanPorts.isEmpty() && !soc.hasDpaa()) {
            throw new BoardException("profile " + id + ": FMan ports listed on a SoC without DPAA");
        }
    }

    /** The datapath limits this board imposes. */
    public BoardLimits limits() {
        return BoardLimits.of(id, datapath);
    }
}
