// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.nio.file.Path;
import java.util.List;

import org.layerstore.datapath.frames.ChecksumMode;

/**
 * How the offload engine uses the frame manager.
 *
 * @param backend          frame-manager backend: {@code auto}, {@code emulated} or {@code usdpaa}
 * @param ports            FMan TX ports it may use; each transfer holds one while it runs
 * @param framesInFlight   meta-buffers per connection: frames built or enqueued and not yet confirmed
 * @param checksum         who computes TCP checksums
 * @param captureDirectory when not null, each transfer's frames are also written to a pcap file there
 *                         (emulated backend only: on the board the frames go to the MAC)
 */
public record OffloadSettings(String backend, List<Integer> ports, int framesInFlight, ChecksumMode checksum,
                              Path captureDirectory) {

    public OffloadSettings {
        ports = List.copyOf(ports);
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("the offload engine needs at least one TX port");
        }
        if (framesInFlight < 1 || framesInFlight > 4096) {
            throw new IllegalArgumentException("frames in flight " + framesInFlight + " outside [1, 4096]");
        }
    }

    /** Any available backend, ports 0-3, 256 frames in flight per connection, checksums in hardware (DTC). */
    public static OffloadSettings defaults() {
        return new OffloadSettings("auto", List.of(0, 1, 2, 3), 256, ChecksumMode.HARDWARE_DTC, null);
    }

    public OffloadSettings withChecksum(ChecksumMode mode) {
        return new OffloadSettings(backend, ports, framesInFlight, mode, captureDirectory);
    }

    public OffloadSettings withCaptureDirectory(Path directory) {
        return new OffloadSettings(backend, ports, framesInFlight, checksum, directory);
    }

    public OffloadSettings withFramesInFlight(int frames) {
        return new OffloadSettings(backend, ports, frames, checksum, captureDirectory);
    }
}
