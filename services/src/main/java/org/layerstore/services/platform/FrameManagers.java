// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import java.util.ArrayList;
import java.util.List;

import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * The frame-manager portals open in this appliance, all on the live backend with the board's configuration.
 * Whoever transmits through the frame manager opens its portal here, so the portal is counted in telemetry
 * for as long as it is open; closing the appliance closes the portals still open.
 */
public final class FrameManagers implements AutoCloseable {

    private final BackendChoice backend;
    private final FrameManagerConfig boardConfig;
    private final List<FrameManager> open = new ArrayList<>();
    private boolean closed;

    public FrameManagers(BackendChoice backend, FrameManagerConfig boardConfig) {
        this.backend = backend;
        this.boardConfig = boardConfig;
    }

    /** Opens a portal with the board's configuration. */
    public Portal open() {
        return open(boardConfig);
    }

    /**
     * Opens a portal with another configuration (a subset of the board's ports, another ring depth).
     *
     * @throws IllegalStateException when no backend is usable here, saying why
     */
    public synchronized Portal open(FrameManagerConfig config) {
        if (closed) {
            throw new IllegalStateException("the appliance is stopping: no new frame-manager portal");
        }
        if (!backend.available()) {
            throw new IllegalStateException("no frame-manager backend is usable: " + backend.reason());
        }
        FrameManager portal = FrameManagerBackends.open(backend.live().backend(), config);
        open.add(portal);
        return new Portal(this, portal);
    }

    /** The board's frame-manager configuration (ports, frame size, bus addressing). */
    public FrameManagerConfig boardConfig() {
        return boardConfig;
    }

    /** Whether a portal can be opened here, and {@link BackendChoice#reason()} when not. */
    public BackendChoice backend() {
        return backend;
    }

    /** The counters of each open portal (none while no portal is open). */
    public synchronized List<FrameCounters> counters() {
        return open.stream().map(FrameManager::counters).toList();
    }

    public synchronized int openCount() {
        return open.size();
    }

    private synchronized void closePortal(FrameManager portal) {
        if (open.remove(portal)) {
            portal.close();
        }
    }

    /** Closes every portal still open. */
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
