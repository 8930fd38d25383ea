// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import java.nio.file.Path;
import java.util.Locale;

import org.layerstore.board.BoardDetection;
import org.layerstore.board.BoardDetector;
import org.layerstore.board.BoardException;
import org.layerstore.board.BoardProfile;
import org.layerstore.board.ProfileCatalog;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.BoardSettings;
import org.layerstore.services.config.ConfigException;
import org.slf4j.Logger;

/**
 * What the appliance runs on, decided once at start: the board (detected or named in the configuration), the
 * datapath and frame-manager settings its profile implies, and the live frame-manager backend.
 *
 * @param root     where the device tree, /proc and /sys were read ("/" on a running system, a fixture tree in tests);
 *                 the board's sensors are read there too
 * @param board    the board and why it was chosen
 * @param datapath the board's limits as the datapath and the frame manager take them
 * @param backend  the frame-manager backend and why
 */
public record Platform(Path root, BoardDetection board, BoardDatapath datapath, BackendChoice backend) {

    /** The running system's platform. */
    public static Platform detect(ApplianceConfig config) {
        return detect(config, Path.of("/"));
    }

    /**
     * @throws ConfigException when {@code board.profile} names no known profile, a profile in {@code board.profilesDir}
     *                         is invalid, or {@code frameManager.backend} names a backend that is not usable
     */
    public static Platform detect(ApplianceConfig config, Path root) {
        BoardSettings settings = config.board();
        BoardDetection detection;
        try {
            detection = new BoardDetector(root, ProfileCatalog.builtInPlus(settings.profilesDir()))
                    .detect(settings.profile());
        } catch (BoardException e) {
            throw new ConfigException("board: " + e.getMessage(), e);
        }
        BoardProfile profile = detection.profile();
        BoardDatapath datapath;
        try {
            datapath = BoardDatapath.of(profile);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage(), e);
        }
        datapath = datapath.withFrameManager(config.frameManager().applyTo(profile.id(), datapath.frameManager()));
        return new Platform(root, detection, datapath, BackendChoice.choose(config.frameManager(), profile));
    }

    /**
     * Where the appliance's portals are opened: on the live backend (unusable, with the whole reason, when none is)
     * with the board's frame-manager configuration as the configuration narrowed it.
     */
    public FrameManagers frameManagers() {
        return new FrameManagers(new BackendAvailability(backend.live().backend(), backend.available(), backend.reason()),
                datapath.frameManager());
    }

    public BoardProfile profile() {
        return board.profile();
    }

    /** Writes the board, its limits and the frame-manager backend, each with why, to the start-up log. */
    public void log(Logger log) {
        BoardProfile profile = profile();
        log.info("Board: {} (profile {}, SoC {}): {}", profile.model(), profile.id(), profile.soc().name(), board.reason());
        log.info("Datapath limits: {}-byte frames, {} S/G entries, {} addresses, erratum A050385 {}",
                datapath.limits().macMaxFrameBytes(), datapath.limits().maxSgEntries(),
                datapath.limits().busAddressing().name().toLowerCase(Locale.ROOT),
                datapath.limits().erratumA050385() ? "enforced" : "not applicable");
        log.info("Frame-manager ports: {}, TX ring {} frames, confirmation queues {} frames",
                datapath.frameManager().ports(), datapath.frameManager().ringDepth(), datapath.frameManager().dequeueDepth());
        if (backend.available()) {
            log.info("Frame manager: {} backend live: {}", backend.live().backend(), backend.reason());
        } else {
            log.warn("Frame manager: no backend usable ({} is not): {}; files are served by the kernel engines only",
                    backend.live().backend(), backend.reason());
        }
    }
}
