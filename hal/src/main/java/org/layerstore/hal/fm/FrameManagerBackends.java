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
 * {@code /dev/fsl-usdpaa}. It is available when {@link UsdpaaProbe} opened every step of the library's
 * open path, and {@link UsdpaaFrameManager} then drives the portals; otherwise it says which step failed
 * and why; nothing pretends to be it.
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
                BackendAvailability board = forAuto(usdpaa());
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

    /**
     * Opens a portal on the backend {@code requested} resolves to, or says why it cannot. A usdpaa portal
     * opened here knows no TX port (see {@link #open(String, FrameManagerConfig, List)}).
     */
    public static FrameManager open(String requested, FrameManagerConfig config) {
        return open(requested, config, List.of());
    }

    /**
     * The same, with the TX frame queues and channels of the board's FMan ports, which the usdpaa backend
     * needs and the emulated one ignores.
     */
    public static FrameManager open(String requested, FrameManagerConfig config, List<UsdpaaTxPort> txPorts) {
        BackendAvailability choice = choose(requested);
        if (!choice.available()) {
            throw new IllegalStateException("frame-manager backend " + choice.backend() + " is not usable: "
                    + choice.reason());
        }
        return switch (choice.backend()) {
            case EMULATED -> EmulatedFrameManager.open(config);
            case USDPAA -> UsdpaaFrameManager.open(config, txPorts);
            default -> throw new IllegalStateException("no implementation for backend " + choice.backend());
        };
    }

    private static BackendAvailability usdpaa() {
        if (!HalLibrary.isAvailable()) {
            return BackendAvailability.no(USDPAA, "the HAL native library is not usable: "
                    + HalLibrary.unavailabilityCause().getMessage());
        }
        return availability(UsdpaaProbe.run());
    }

    /**
     * What {@code auto} may take of the usdpaa backend: nothing yet. Its {@code FrameManager} sends with
     * confirmations but has no receive queues, congestion groups or notifiers, which the offload port's link
     * needs, so a board whose portals open would otherwise start an offload port that fails; {@code auto}
     * keeps the emulated backend and says why, and {@code usdpaa} named on its own still opens the portals.
     */
    static BackendAvailability forAuto(BackendAvailability usdpaa) {
        if (!usdpaa.available()) {
            return usdpaa;
        }
        return BackendAvailability.no(USDPAA, usdpaa.reason() + ", but its frame manager has no receive queues,"
                + " congestion groups or notifiers yet, which the offload port needs; ask for usdpaa by name to use"
                + " it without them");
    }

    /** The usdpaa backend as a probe found it: usable when every step opened. */
    static BackendAvailability availability(UsdpaaProbe probe) {
        return new BackendAvailability(USDPAA, probe.opened(), probe.reason());
    }
}
