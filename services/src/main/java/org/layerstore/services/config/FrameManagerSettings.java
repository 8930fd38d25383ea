// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * Which frame-manager backend the HAL runs, and how the board's frame-manager settings are narrowed
 * (docs/configuration.md, docs/hal.md).
 *
 * @param backend     {@code auto} (default): the board profile's {@code hal} backend, falling back to {@code emulated}
 *                    when the board's is not usable here; {@code emulated} or {@code usdpaa}: that one, and the
 *                    appliance refuses to start when it is not usable
 * @param ports       the FMan TX ports (device-tree cell-index) the appliance may transmit on, a subset of the
 *                    board's; null: all of the board's
 * @param txRingDepth frames a TX frame queue may hold; null: the board profile's {@code txRingDepth}
 * @param verifyPinning debug mode: the offload port's frame-manager link re-reads the pinned pages' frames through
 *                    pagemap before each frame and refuses (and reports as a DMA error) a frame over a page that
 *                    moved (default false)
 */
public record FrameManagerSettings(String backend, List<Integer> ports, Integer txRingDepth, Boolean verifyPinning) {

    public FrameManagerSettings {
        backend = backend == null || backend.isBlank() ? FrameManagerBackends.AUTO : backend.strip().toLowerCase(Locale.ROOT);
        if (!FrameManagerBackends.NAMES.contains(backend)) {
            throw new ConfigException("frameManager.backend must be one of " + FrameManagerBackends.NAMES + ", got '"
                    + backend + "'");
        }
        if (ports != null) {
            if (ports.isEmpty() || ports.stream().anyMatch(Objects::isNull)) {
                throw new ConfigException("frameManager.ports must list at least one port number, got " + ports);
            }
            ports = List.copyOf(ports);
        }
        verifyPinning = verifyPinning != null && verifyPinning;
    }

    /** A backend, with the board's ports and ring depth. */
    public FrameManagerSettings(String backend) {
        this(backend, null, null, null);
    }

    public static FrameManagerSettings defaults() {
        return new FrameManagerSettings(null);
    }

    /** Whether the backend is left to the board profile. */
    public boolean automatic() {
        return backend.equals(FrameManagerBackends.AUTO);
    }

    /**
     * The board's frame-manager configuration narrowed by these settings.
     *
     * @throws ConfigException naming the setting when a port is not one of the board's or the depth is impossible
     */
    public FrameManagerConfig applyTo(String board, FrameManagerConfig boards) {
        FrameManagerConfig config = boards;
        if (ports != null) {
            List<Integer> foreign = ports.stream().filter(p -> !boards.ports().contains(p)).toList();
            if (!foreign.isEmpty()) {
                throw new ConfigException("frameManager.ports " + foreign + " are not FMan ports of board " + board
                        + " (it has " + boards.ports() + ")");
            }
            try {
                config = config.withPorts(ports);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("frameManager.ports " + ports + ": " + e.getMessage(), e);
            }
        }
        if (txRingDepth != null) {
            try {
                // Confirmation queues as deep as the TX ring, as the board profile's depth gives them.
                config = config.withRingDepth(txRingDepth).withDequeueDepth(txRingDepth);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("frameManager.txRingDepth " + txRingDepth + ": " + e.getMessage(), e);
            }
        }
        return config;
    }
}
