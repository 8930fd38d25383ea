package org.layerstore.services.telemetry.metrics;

import org.layerstore.board.HostPlatform;
import org.layerstore.hal.HalLibrary;

/**
 * What the appliance runs on, as telemetry names it.
 *
 * @param board      the board ({@code LS1046A-RDB}, or {@code host linux-x86_64} off the silicon)
 * @param halBackend the live HAL backend (the real frame manager, the emulation, or why neither is usable)
 */
public record PlatformIdentity(String board, String halBackend) {

    /** The identity this process can tell on its own: the host platform and the HAL library's state. */
    public static PlatformIdentity ofHost() {
        String hal = HalLibrary.isAvailable() ? "host (liblayerstore-hal ABI " + HalLibrary.abiVersion() + ")"
                : "unavailable: " + HalLibrary.unavailabilityCause().getMessage();
        return new PlatformIdentity("host " + HostPlatform.current(), hal);
    }
}
