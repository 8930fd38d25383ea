// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.providers;

import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.services.telemetry.metrics.FrameManagerStats;
import org.layerstore.services.telemetry.metrics.FrameManagerStatsProvider;

/** The open frame-manager portals' counters, added up; nothing while no portal is open. */
public final class FrameManagerCounters implements FrameManagerStatsProvider {

    private final FrameManagers frameManagers;

    public FrameManagerCounters(FrameManagers frameManagers) {
        this.frameManagers = frameManagers;
    }

    @Override
    public Optional<FrameManagerStats> frameManagerStats() {
        List<FrameCounters> portals = frameManagers.counters();
        if (portals.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new FrameManagerStats(
                portals.stream().mapToLong(FrameCounters::frames).sum(),
                portals.stream().mapToLong(FrameCounters::sgEntries).sum(),
                portals.stream().mapToLong(FrameCounters::dmaErrors).sum(),
                portals.stream().mapToLong(FrameCounters::rejections).sum(),
                portals.stream().mapToLong(FrameCounters::ringFull).sum()));
    }
}
