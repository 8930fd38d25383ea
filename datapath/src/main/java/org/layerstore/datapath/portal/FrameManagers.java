// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.portal;

import java.util.ArrayList;
import java.util.List;

import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * The one place where frame-manager portals are opened: all on one backend (the appliance's live one) with the
 * board's configuration. Whoever transmits through the frame manager (the offload port's link, a test, a benchmark)
 * opens its portal here, so the portal is counted in telemetry for as long as it is open; closing this closes the
 * portals still open.
 */
public final class FrameManagers implements AutoCloseable {

    private final BackendAvailability backend;
    private final FrameManagerConfig boardConfig;
    private final List<FrameManager> open = new ArrayList<>();
    private boolean closed;

    /**
     * @param backend     the backend portals are opened on, and why (or why it is not usable)
     * @param boardConfig the board's ports, ring depths, frame size, erratum and addressing
     */
    public FrameManagers(BackendAvailability backend, FrameManagerConfig boardConfig) {
        this.backend = backend;
        this.boardConfig = boardConfig;
    }

    /** Portals on the backend {@code requested} ({@code auto}, {@code emulated}, {@code usdpaa}) as it is here. */
    public static FrameManagers choose(String requested, FrameManagerConfig boardConfig) {
        return new FrameManagers(FrameManagerBackends.choose(requested), boardConfig);
    }

    /** The backend portals come from, whether it is usable and why. */
    public BackendAvailability backend() {
        return backend;
    }

    /** What a portal is opened with unless its opener narrows it. */
    public FrameManagerConfig boardConfig() {
        return boardConfig;
    }

    /** Opens a portal with the board's configuration. */
    public Portal open() {
        return open(boardConfig);
    }

    /**
     * Opens a portal with another configuration (a subset of the board's ports, another ring depth).
     *
     * @throws IllegalStateException when no backend is usable here, saying why, or when this is closed
     */
    public synchronized Portal open(FrameManagerConfig config) {
        if (closed) {
            throw new IllegalStateException("the appliance is stopping: no new frame-manager portal");
        }
        if (!backend.available()) {
            throw new IllegalStateException("no frame-manager backend is usable: " + backend.reason());
        }
        FrameManager portal = FrameManagerBackends.open(backend.backend(), config);
        open.add(portal);
        return new Portal(this, portal);
    }

    /** The counters of each open portal (none while no portal is open). */
    public synchronized List<FrameCounters> counters() {
        return open.stream().map(FrameManager::counters).toList();
    }

    /** The configuration of each open portal: what the board and the opener gave it. */
    public synchronized List<FrameManagerConfig> configs() {
        return open.stream().map(FrameManager::config).toList();
    }

    public synchronized int openCount() {
        return open.size();
    }

    private synchronized void closePortal(FrameManager portal) {
        if (open.remove(portal)) {
            portal.close();
        }
    }

    /** Closes every portal still open; no portal opens afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        open.forEach(FrameManager::close);
        open.clear();
    }

    /** One open portal; closing it closes the portal and stops counting it. */
    public static final class Portal implements AutoCloseable {

        private final FrameManagers owner;
        private final FrameManager frameManager;

        private Portal(FrameManagers owner, FrameManager frameManager) {
            this.owner = owner;
            this.frameManager = frameManager;
        }

        public FrameManager frameManager() {
            return frameManager;
        }

        @Override
        public void close() {
            owner.closePortal(frameManager);
        }
    }
}
