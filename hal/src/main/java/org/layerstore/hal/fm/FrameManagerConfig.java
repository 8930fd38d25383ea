// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.util.List;

import org.layerstore.hal.bindings.hal.hal_h;

/**
 * The board limits and wiring a frame-manager portal is opened with. They come from the board profile:
 * this record only checks that they are values the hardware can have.
 *
 * @param maxFrameSize MAC maximum frame length in bytes (1522 by default, up to 9600 with jumbo frames)
 * @param ringDepth frames a TX frame queue may hold, counting those still in the portal's enqueue
 *     command ring (EQCR, 8 entries); enqueueing beyond it answers busy, as a congested egress queue
 * @param dequeueDepth frames each confirmation queue holds (besides the portal's 16-entry dequeue
 *     response ring); the hardware stalls while one is full
 * @param a050385 enforce LS1043A erratum A050385 (256-byte aligned data, non-last S/G lengths in
 *     multiples of 256)
 * @param smmu the SMMU translates the FMan stream: bus addresses are IOVAs assigned at DMA
 *     registration; otherwise they are physical addresses (page frame numbers from pagemap)
 * @param ports the FMan TX port ids (device-tree cell-index) the portal may use
 */
public record FrameManagerConfig(int maxFrameSize, int ringDepth, int dequeueDepth, boolean a050385, boolean smmu,
        List<Integer> ports) {

    public static final int MAX_FRAME_DEFAULT = hal_h.LSH_MAX_FRAME_DEFAULT();
    public static final int MAX_FRAME_JUMBO = hal_h.LSH_MAX_FRAME_JUMBO();
    public static final int MAX_PORTS = hal_h.LSH_FM_MAX_PORTS();
    /** QMan's enqueue command ring (EQCR) depth. */
    public static final int RING_DEPTH_DEFAULT = 8;
    /** QMan's dequeue response ring (DQRR) depth. */
    public static final int DEQUEUE_DEPTH_DEFAULT = 16;
    private static final int DEPTH_MAX = 4096;

    public FrameManagerConfig {
        check(maxFrameSize >= 64 && maxFrameSize <= MAX_FRAME_JUMBO, "maxFrameSize " + maxFrameSize
                + " is outside 64.." + MAX_FRAME_JUMBO);
        check(ringDepth > 0 && ringDepth <= DEPTH_MAX, "ringDepth " + ringDepth + " is outside 1.." + DEPTH_MAX);
        check(dequeueDepth > 0 && dequeueDepth <= DEPTH_MAX, "dequeueDepth " + dequeueDepth + " is outside 1.."
                + DEPTH_MAX);
        ports = List.copyOf(ports);
        check(!ports.isEmpty() && ports.size() <= MAX_PORTS, "between 1 and " + MAX_PORTS + " ports needed, got "
                + ports);
        check(ports.stream().distinct().count() == ports.size(), "ports repeat: " + ports);
    }

    /** Hardware defaults (1522-byte frames, EQCR/DQRR depths, physical addresses, no A050385) for ports. */
    public static FrameManagerConfig defaults(int... ports) {
        return new FrameManagerConfig(MAX_FRAME_DEFAULT, RING_DEPTH_DEFAULT, DEQUEUE_DEPTH_DEFAULT, false, false,
                java.util.Arrays.stream(ports).boxed().toList());
    }

    public FrameManagerConfig withMaxFrameSize(int bytes) {
        return new FrameManagerConfig(bytes, ringDepth, dequeueDepth, a050385, smmu, ports);
    }

    public FrameManagerConfig withRingDepth(int depth) {
        return new FrameManagerConfig(maxFrameSize, depth, dequeueDepth, a050385, smmu, ports);
    }

    public FrameManagerConfig withDequeueDepth(int depth) {
        return new FrameManagerConfig(maxFrameSize, ringDepth, depth, a050385, smmu, ports);
    }

    public FrameManagerConfig withA050385(boolean enforced) {
        return new FrameManagerConfig(maxFrameSize, ringDepth, dequeueDepth, enforced, smmu, ports);
    }

    public FrameManagerConfig withSmmu(boolean translated) {
        return new FrameManagerConfig(maxFrameSize, ringDepth, dequeueDepth, a050385, translated, ports);
    }

    public FrameManagerConfig withPorts(List<Integer> ids) {
        return new FrameManagerConfig(maxFrameSize, ringDepth, dequeueDepth, a050385, smmu, ids);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("frame manager config: " + message);
        }
    }
}
