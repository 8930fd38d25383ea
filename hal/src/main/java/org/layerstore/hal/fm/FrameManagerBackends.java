// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Chooses the frame-manager backend, explicitly: the configuration (or the board profile) names
 * {@code emulated}, {@code usdpaa} or {@code auto}, and {@link #choose} says which one is live and why,
 * for the start-up log.
 *
 * <p>{@code usdpaa} is NXP's userspace DPAA interfaces on the board ({@code /dev/fsl-usdpaa}, QMan and
 * BMan portals). This library has no USDPAA backend built in (the Yocto recipe builds it where those
 * libraries exist), so here it is never available and says so; nothing pretends to be it.
 */
public final class FrameManagerBackends {

    public static final String EMULATED = EmulatedFrameManager.NAME;
    public static final String USDPAA = "usdpaa";
    public static final String AUTO = "auto";
    public static final List<String> NAMES = List.of(AUTO, EMULATED, USDPAA);

    private static final Path USDPAA_DEVICE = Path.of("/dev/fsl-usdpaa");

    private FrameManagerBackends() {
    }

    /** The backend that {@code requested} resolves to, with the reason; check {@code available()}. */
    public static BackendAvailability choose(String requested) {
        String name = requested.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "emulated" -> EmulatedFrameManager.availability();
            case "usdpaa" -> usdpaa();
            case "auto" -> {
                BackendAvailability board = usdpaa();
                BackendAvailability emulated = EmulatedFrameManager.availability();
                yield board.available() ? board
                        : new BackendAvailability(EMULATED, emulated.available(), "auto: usdpaa is not usable ("
                                + board.reason() + "); " + (emulated.available() ? "using" : "cannot use")
                                + " the emulated backend: " + emulated.reason());
            }
            default -> throw new IllegalArgumentException("unknown frame-manager backend '" + requested
                    + "': expected one of " + NAMES);
        };
    }

    /** Opens a portal on the backend {@code requested} resolves to, or says why it cannot. */
    public static FrameManager open(String requested, FrameManagerConfig config) {
        BackendAvailability choice = choose(requested);
        if (!choice.available()) {
            throw new IllegalStateException("frame-manager backend " + choice.backend() + " is not usable: "
                    + choice.reason());
        }
        return switch (choice.backend()) {
            case EMULATED -> EmulatedFrameManager.open(config);
            default -> throw new IllegalStateException("no implementation for backend " + choice.backend());
        };
    }

    private static BackendAvailability usdpaa() {
        boolean device = Files.exists(USDPAA_DEVICE);
        return BackendAvailability.no(USDPAA, "this build of liblayerstore-hal has no USDPAA backend (none has one yet: "
                + "the portal driver runs on the emulated backend only); " + USDPAA_DEVICE + (device ? " exists" : " is absent"));
    }
}
