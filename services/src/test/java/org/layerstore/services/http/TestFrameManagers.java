// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.services.platform.BackendChoice;
import org.layerstore.services.platform.FrameManagers;

/** The frame-manager portals of a test's offload port: the emulated backend, FMan ports 0 to 3, physical addresses. */
final class TestFrameManagers {

    private TestFrameManagers() {
    }

    static FrameManagers emulated() {
        return new FrameManagers(new BackendChoice(FrameManagerBackends.EMULATED,
                FrameManagerBackends.choose(FrameManagerBackends.EMULATED), "emulated backend for the test"),
                FrameManagerConfig.defaults(0, 1, 2, 3));
    }
}
