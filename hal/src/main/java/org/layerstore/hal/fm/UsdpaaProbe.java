// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_usdpaa_probe;
import org.layerstore.hal.libc.Errno;

/**
 * What the usdpaa backend's open path finds on this host: the native probe ({@code lsh_usdpaa_probe})
 * opens {@code /dev/fsl-usdpaa}, allocates a frame-queue id and a buffer-pool id, maps a QMan and a BMan
 * portal, binds the QMan portal's interrupt through {@code /dev/fsl-usdpaa-irq} and maps a DMA region of the
 * kernel's USDPAA memory as large as the backend's (64 MiB), then undoes it all.
 * A failure is its step and its errno; the reason is chosen by the errno, never by a message's text.
 *
 * @param error     0, or the negative errno of the failed step
 * @param step      the failed step ({@code LSH_USDPAA_STEP_*}), {@code LSH_USDPAA_STEP_NONE} if none failed
 * @param stepName  the native side's name of that step
 * @param dmaSize   the DMA region's bytes (when every step succeeded)
 * @param dmaPhys   the physical address of its first byte
 */
public record UsdpaaProbe(int error, int step, String stepName, int qmanPortal, int bmanPortal, long dmaSize,
        long dmaPhys) {

    /** The reason given when the kernel has no USDPAA device (ENOENT on opening it). */
    public static final String NO_DEVICE = "no /dev/fsl-usdpaa (the kernel is not a USDPAA linux-qoriq build)";

    /** Runs the probe; the HAL library must be available. */
    public static UsdpaaProbe run() {
        HalLibrary.ensureAvailable();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = lsh_usdpaa_probe.allocate(arena);
            hal_h.lsh_usdpaa_probe(out);
            int step = lsh_usdpaa_probe.step(out);
            return new UsdpaaProbe(lsh_usdpaa_probe.error(out), step,
                    hal_h.lsh_usdpaa_step_name(step).reinterpret(128).getString(0),
                    lsh_usdpaa_probe.qman_portal(out), lsh_usdpaa_probe.bman_portal(out),
                    lsh_usdpaa_probe.dma_size(out), lsh_usdpaa_probe.dma_phys(out));
        }
    }

    /** Whether every step succeeded. */
    public boolean opened() {
        return step == hal_h.LSH_USDPAA_STEP_NONE();
    }

    /** The errno of the failed step. */
    public Errno errno() {
        return new Errno(-error);
    }

    /** What the probe found: the portals it opened, or why the usdpaa backend is not usable here. */
    public String reason() {
        if (opened()) {
            return "usdpaa portals open (QMan portal " + qmanPortal + ", BMan portal " + bmanPortal
                    + ", interrupt bound, DMA region " + (dmaSize >> 20) + " MiB at physical 0x"
                    + Long.toHexString(dmaPhys) + ")";
        }
        if (step == hal_h.LSH_USDPAA_STEP_OPEN_DEVICE() && -error == Errno.ENOENT) {
            return NO_DEVICE;
        }
        return "the usdpaa open path failed at " + stepName + ": " + errno();
    }
}
