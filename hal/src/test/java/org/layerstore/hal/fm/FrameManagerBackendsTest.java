// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.libc.Errno;

class FrameManagerBackendsTest {

    @Test
    void usdpaaWithoutTheDeviceIsUnavailableBecauseTheKernelHasNoUsdpaa() {
        assumeFalse(Files.exists(Path.of("/dev/fsl-usdpaa")), "this host has /dev/fsl-usdpaa");
        UsdpaaProbe probe = UsdpaaProbe.run();
        assertEquals(hal_h.LSH_USDPAA_STEP_OPEN_DEVICE(), probe.step());
        assertEquals(Errno.ENOENT, probe.errno().code());
        assertEquals("open /dev/fsl-usdpaa", probe.stepName());
        BackendAvailability usdpaa = FrameManagerBackends.choose("usdpaa");
        assertFalse(usdpaa.available());
        assertEquals(UsdpaaProbe.NO_DEVICE, usdpaa.reason());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> FrameManagerBackends.open("usdpaa", FrameManagerConfig.defaults(1)));
        assertTrue(e.getMessage().startsWith("frame-manager backend usdpaa is not usable"), e.getMessage());
    }

    @Test
    void autoFallsBackToTheEmulatorAndSaysWhy() {
        BackendAvailability auto = FrameManagerBackends.choose("auto");
        assertEquals("emulated", auto.backend());
        assertTrue(auto.available(), auto.reason());
        assertTrue(auto.reason().startsWith("auto: usdpaa is not usable"), auto.reason());
        try (FrameManager fm = FrameManagerBackends.open("AUTO", FrameManagerConfig.defaults(1))) {
            assertEquals("emulated", fm.backend());
        }
    }

    @Test
    void autoLeavesOpenedPortalsAloneWhileTheirFrameManagerLacksWhatTheOffloadPortNeeds() {
        UsdpaaProbe opened = new UsdpaaProbe(0, hal_h.LSH_USDPAA_STEP_NONE(), "none", 3, 2, 64L << 20, 0x80000000L);
        BackendAvailability named = FrameManagerBackends.availability(opened);
        assertTrue(named.available(), named.reason());
        BackendAvailability forAuto = FrameManagerBackends.forAuto(named);
        assertFalse(forAuto.available());
        assertEquals("usdpaa", forAuto.backend());
        assertTrue(forAuto.reason().startsWith("usdpaa portals open (QMan portal 3, BMan portal 2"), forAuto.reason());
        assertTrue(forAuto.reason().contains("no receive queues, congestion groups or notifiers"), forAuto.reason());
        UsdpaaProbe missing = new UsdpaaProbe(-Errno.ENOENT, hal_h.LSH_USDPAA_STEP_OPEN_DEVICE(), "open /dev/fsl-usdpaa",
                -1, -1, 0, 0);
        assertEquals(UsdpaaProbe.NO_DEVICE, FrameManagerBackends.forAuto(FrameManagerBackends.availability(missing)).reason());
    }

    @Test
    void anUnknownBackendIsRefusedNamingTheChoices() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FrameManagerBackends.choose("dpdk"));
        assertEquals("unknown frame-manager backend 'dpdk': expected one of [auto, emulated, usdpaa]", e.getMessage());
    }

    @Test
    void configurationsTheHardwareCannotHaveAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> FrameManagerConfig.defaults(1).withMaxFrameSize(9601));
        assertThrows(IllegalArgumentException.class, () -> FrameManagerConfig.defaults(1).withRingDepth(0));
        assertThrows(IllegalArgumentException.class, () -> FrameManagerConfig.defaults());
        assertThrows(IllegalArgumentException.class, () -> FrameManagerConfig.defaults(1, 1));
    }
}
