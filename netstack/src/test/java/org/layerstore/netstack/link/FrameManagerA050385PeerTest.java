// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * The judge of {@link FrameManagerKernelPeerTest} on an LS1043A's port: the emulated frame manager enforces
 * erratum A050385 (S/G data 256-byte aligned, non-last fragments multiples of 256 bytes), which no S/G frame
 * with a 54-byte header entry meets, so the link must bounce every frame into an aligned contiguous buffer:
 * the same downloads arrive identical, every body byte counted as copied, no frame refused by the erratum.
 */
class FrameManagerA050385PeerTest extends FrameManagerKernelPeerTest {

    @Override
    FrameManagerConfig portalConfig() {
        return super.portalConfig().withA050385(true);
    }
}
