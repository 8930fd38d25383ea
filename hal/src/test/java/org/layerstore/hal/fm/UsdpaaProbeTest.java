// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.libc.Errno;

class UsdpaaProbeTest {

    private static final int OPEN_DEVICE = hal_h.LSH_USDPAA_STEP_OPEN_DEVICE();

    @Test
    void theReasonIsChosenByTheErrnoOfTheStepNotByText() {
        assertEquals(UsdpaaProbe.NO_DEVICE,
                new UsdpaaProbe(-Errno.ENOENT, OPEN_DEVICE, "open /dev/fsl-usdpaa", 0, 0, 0, 0).reason());
        assertEquals("the usdpaa open path failed at open /dev/fsl-usdpaa: " + new Errno(Errno.EACCES),
                new UsdpaaProbe(-Errno.EACCES, OPEN_DEVICE, "open /dev/fsl-usdpaa", 0, 0, 0, 0).reason());
        assertEquals("the usdpaa open path failed at some later step: " + new Errno(Errno.ENOENT),
                new UsdpaaProbe(-Errno.ENOENT, OPEN_DEVICE + 9, "some later step", 0, 0, 0, 0).reason());
    }

    @Test
    void aProbeThatOpenedEveryStepMakesTheBackendAvailable() {
        UsdpaaProbe opened = new UsdpaaProbe(0, hal_h.LSH_USDPAA_STEP_NONE(), "none", 3, 5, 64L << 20,
                0x880000000L);
        assertTrue(opened.opened());
        BackendAvailability usdpaa = FrameManagerBackends.availability(opened);
        assertTrue(usdpaa.available());
        assertEquals("usdpaa portals open (QMan portal 3, BMan portal 5, interrupt bound, DMA region 64 MiB at "
                + "physical 0x880000000)", usdpaa.reason());
    }

    @Test
    void aProbeThatFailedAStepLeavesTheBackendUnavailableWithItsReason() {
        UsdpaaProbe failed = new UsdpaaProbe(-Errno.ENODEV, OPEN_DEVICE + 3,
                "USDPAA_IOCTL_ALLOC_RAW_PORTAL (QMan)", 0, 0, 0, 0);
        BackendAvailability usdpaa = FrameManagerBackends.availability(failed);
        assertFalse(usdpaa.available());
        assertEquals("the usdpaa open path failed at USDPAA_IOCTL_ALLOC_RAW_PORTAL (QMan): " + new Errno(Errno.ENODEV),
                usdpaa.reason());
    }
}
