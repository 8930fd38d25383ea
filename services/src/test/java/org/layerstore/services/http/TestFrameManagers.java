// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;

/** The frame-manager portals of a test's offload port: the emulated backend, FMan ports 0 to 3, physical addresses. */
final class TestFrameManagers {

    private TestFrameManagers() {
    }

    static FrameManagers emulated() {
        return FrameManagers.choose(FrameManagerBackends.EMULATED, FrameManagerConfig.defaults(0, 1, 2, 3));
    }
}
