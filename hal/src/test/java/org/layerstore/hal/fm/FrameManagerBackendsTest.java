// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FrameManagerBackendsTest {

    @Test
    void usdpaaIsNeverPretendedAndSaysWhy() {
        BackendAvailability usdpaa = FrameManagerBackends.choose("usdpaa");
        assertFalse(usdpaa.available());
        assertTrue(usdpaa.reason().contains("no USDPAA backend"), usdpaa.reason());
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
