// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.util.List;
import java.util.Locale;

import org.layerstore.hal.HalLibrary;

/**
 * Chooses the frame-manager backend, explicitly: the configuration (or the board profile) names
 * {@code emulated}, {@code usdpaa} or {@code auto}, and {@link #choose} says which one is live and why,
 * for the start-up log.
 *
 * <p>{@code usdpaa} is the QMan and BMan portals a linux-qoriq kernel hands to user space through
 * {@code /dev/fsl-usdpaa}. The library's usdpaa backend opens them ({@link UsdpaaProbe} says how far it
 * gets here), but no frame-manager driver runs the datapath on them yet, so it is never available and
 * says why; nothing pretends to be it.
 */
public final class FrameManagerBackends {

    public static final String EMULATED = EmulatedFrameManager.NAME;
    public static final String USDPAA = "usdpaa";
    public static final String AUTO = "auto";
    public static final List<String> NAMES = List.of(AUTO, EMULATED, USDPAA);

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
        if (!HalLibrary.isAvailable()) {
            return BackendAvailability.no(USDPAA, "the HAL native library is not usable: "
                    + HalLibrary.unavailabilityCause().getMessage());
        }
        return BackendAvailability.no(USDPAA, UsdpaaProbe.run().reason());
    }
}
