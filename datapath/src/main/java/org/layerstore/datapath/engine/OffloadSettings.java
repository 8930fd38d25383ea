// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.nio.file.Path;

import org.layerstore.datapath.frames.ChecksumMode;

/**
 * How the offload engine uses the frame manager. The backend, the TX ports (each transfer holds one while it runs)
 * and the ring depths are the portal's: they come from the board and the configuration through
 * {@link org.layerstore.datapath.portal.FrameManagers}.
 *
 * @param framesInFlight   meta-buffers per connection: frames built or enqueued and not yet confirmed
 * @param checksum         who computes TCP checksums
 * @param captureDirectory when not null, each transfer's frames are also written to a pcap file there
 *                         (emulated backend only: on the board the frames go to the MAC)
 * @param verifyPins       debug mode: re-read the page frames through pagemap at the first frame and before
 *                         each burst, and fail the transfer with a DMA error when a pinned page moved
 */
public record OffloadSettings(int framesInFlight, ChecksumMode checksum, Path captureDirectory, boolean verifyPins) {

    public OffloadSettings {
        if (framesInFlight < 1 || framesInFlight > 4096) {
            throw new IllegalArgumentException("frames in flight " + framesInFlight + " outside [1, 4096]");
        }
    }

    /** 256 frames in flight per connection, checksums in hardware (DTC), no capture, no pin verification. */
    public static OffloadSettings defaults() {
        return new OffloadSettings(256, ChecksumMode.HARDWARE_DTC, null, false);
    }

    public OffloadSettings withChecksum(ChecksumMode mode) {
        return new OffloadSettings(framesInFlight, mode, captureDirectory, verifyPins);
    }

    public OffloadSettings withCaptureDirectory(Path directory) {
        return new OffloadSettings(framesInFlight, checksum, directory, verifyPins);
    }

    public OffloadSettings withFramesInFlight(int frames) {
        return new OffloadSettings(frames, checksum, captureDirectory, verifyPins);
    }

    public OffloadSettings withVerifyPins(boolean verify) {
        return new OffloadSettings(framesInFlight, checksum, captureDirectory, verify);
    }
}
