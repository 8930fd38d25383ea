// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.util.Locale;

import org.layerstore.hal.fm.FrameManagerBackends;

/**
 * Which frame-manager backend the HAL runs (docs/configuration.md, docs/hal.md).
 *
 * @param backend {@code auto} (default): the board profile's {@code hal} backend, falling back to {@code emulated}
 *                when the board's is not usable here; {@code emulated} or {@code usdpaa}: that one, and the appliance
 *                refuses to start when it is not usable
 */
public record FrameManagerSettings(String backend) {

    public FrameManagerSettings {
        backend = backend == null || backend.isBlank() ? FrameManagerBackends.AUTO : backend.strip().toLowerCase(Locale.ROOT);
        if (!FrameManagerBackends.NAMES.contains(backend)) {
            throw new ConfigException("frameManager.backend must be one of " + FrameManagerBackends.NAMES + ", got '"
                    + backend + "'");
        }
    }

    public static FrameManagerSettings defaults() {
        return new FrameManagerSettings(null);
    }

    /** Whether the backend is left to the board profile. */
    public boolean automatic() {
        return backend.equals(FrameManagerBackends.AUTO);
    }
}
