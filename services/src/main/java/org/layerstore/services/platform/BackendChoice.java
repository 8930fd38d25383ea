// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import org.layerstore.board.BoardProfile;
import org.layerstore.board.HalBackend;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.FrameManagerSettings;

/**
 * The frame-manager backend the appliance runs, from the configuration and the board profile, and why.
 *
 * <p>{@code frameManager.backend: auto} follows the profile: a board whose profile names {@code usdpaa} gets
 * USDPAA when it is usable and the emulated backend otherwise; a board whose profile names {@code emulated}
 * (generic-linux, QEMU) gets the emulated one without probing for USDPAA. A backend named in the configuration
 * is an order: when it is not usable the appliance does not start.
 *
 * @param configured what {@code frameManager.backend} says
 * @param live       the backend chosen and whether it is usable
 * @param reason     one sentence for the start-up log: configuration, profile, and the backend's own reason
 */
public record BackendChoice(String configured, BackendAvailability live, String reason) {

    /**
     * @throws ConfigException when the configuration names a backend that is not usable here
     */
    public static BackendChoice choose(FrameManagerSettings settings, BoardProfile profile) {
        String profileSays = "board profile " + profile.id() + " names " + profile.hal().id();
        if (!settings.automatic()) {
            BackendAvailability named = FrameManagerBackends.choose(settings.backend());
            if (!named.available()) {
                throw new ConfigException("frameManager.backend " + settings.backend() + " is not usable here: "
                        + named.reason() + " (set it to auto to fall back to the emulated backend)");
            }
            return new BackendChoice(settings.backend(), named, "frameManager.backend " + settings.backend()
                    + " in the configuration (" + profileSays + "): " + named.reason());
        }
        String request = profile.hal() == HalBackend.USDPAA ? FrameManagerBackends.AUTO : FrameManagerBackends.EMULATED;
        BackendAvailability chosen = FrameManagerBackends.choose(request);
        return new BackendChoice(settings.backend(), chosen, "frameManager.backend auto, " + profileSays + ": "
                + chosen.reason());
    }

    /** Whether a frame manager can be opened. */
    public boolean available() {
        return live.available();
    }

    /** The live backend's name, or {@code none} when no backend is usable. */
    public String liveName() {
        return live.available() ? live.backend() : "none";
    }
}
