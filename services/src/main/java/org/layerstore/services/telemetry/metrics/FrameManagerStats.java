// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

/**
 * The frame manager's running totals since the appliance started.
 *
 * @param frames          frames enqueued for transmission
 * @param sgEntries       scatter/gather entries built for those frames
 * @param dmaErrors       frames the hardware (or its emulation) reported a DMA error for
 * @param rejections      frames refused before enqueueing (bad address, too many S/G entries)
 * @param ringFullEvents  times an enqueue found the ring full and had to wait or fall back
 */
public record FrameManagerStats(long frames, long sgEntries, long dmaErrors, long rejections, long ringFullEvents) {
}
