// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.providers;

import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.platform.FirmwareIdentity;
import org.layerstore.services.platform.Platform;
import org.layerstore.services.telemetry.metrics.PlatformIdentity;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;

/** Telemetry's providers for a running appliance: the detected board, its sensors, the engines, the frame manager. */
public final class PlatformProviders {

    private PlatformProviders() {
    }

    public static TelemetryProviders of(Platform platform, TransmitEngines engines, FrameManagers frameManagers,
            List<ShareSettings> shares) {
        return new TelemetryProviders(identity(platform), Optional.of(new DatapathEngineStats(engines)),
                Optional.of(new FrameManagerCounters(frameManagers)),
                Optional.of(new SysfsBoardReadings(platform.root(), platform.profile().thermalZones(), shares)));
    }

    /**
     * The board as "model (profile id)", its SoC, the live backend's name ({@code none} when none is usable), and the
     * installed firmware's host name, version and booted slot.
     */
    public static PlatformIdentity identity(Platform platform) {
        var profile = platform.profile();
        FirmwareIdentity firmware = FirmwareIdentity.read(platform.root());
        return new PlatformIdentity(profile.model() + " (" + profile.id() + ")", profile.soc().name(),
                platform.backend().liveName(), firmware.hostName(), firmware.version(), firmware.slot());
    }
}
