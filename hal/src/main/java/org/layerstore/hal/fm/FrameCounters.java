// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;

import org.layerstore.hal.bindings.hal.lsh_fm_counters;

/**
 * A portal's counters since it was opened. {@code wireDrops}: frames the port's interface refused (sent as far
 * as their confirmation says, lost on the wire). RX: {@code rxFrames}/{@code rxBytes} delivered without an
 * error status, {@code rxNoBuffer} discarded for an empty pool (FMan's no-buffer discard),
 * {@code rxErrors} delivered with {@code FrameDescriptor.STATUS_RX_ERRORS} bits, {@code rxQueueFull}
 * discarded because the RX queue was full. Congestion groups: {@code cgrRejections} enqueues rejected by a
 * congested group's tail drop, software's to TX queues (counted in {@code rejections} too) and FMan's of
 * confirmations (frames discarded, not in {@code rejections}); {@code cgrChanges} state changes notified.
 */
public record FrameCounters(long frames, long bytes, long sgEntries, long dmaErrors, long formatErrors,
        long lengthErrors, long a050385Errors, long rejections, long ringFull, long confirmations, long checksums,
        long buffersReleased, long wireDrops, long rxFrames, long rxBytes, long rxNoBuffer,
        long rxErrors, long rxQueueFull, long cgrRejections, long cgrChanges) {

    static FrameCounters of(MemorySegment c) {
        return new FrameCounters(lsh_fm_counters.frames(c), lsh_fm_counters.bytes(c), lsh_fm_counters.sg_entries(c),
                lsh_fm_counters.dma_errors(c), lsh_fm_counters.format_errors(c), lsh_fm_counters.length_errors(c),
                lsh_fm_counters.a050385_errors(c), lsh_fm_counters.rejections(c), lsh_fm_counters.ring_full(c),
                lsh_fm_counters.confirmations(c), lsh_fm_counters.checksums(c), lsh_fm_counters.buffers_released(c),
                lsh_fm_counters.wire_drops(c), lsh_fm_counters.rx_frames(c),
                lsh_fm_counters.rx_bytes(c), lsh_fm_counters.rx_no_buffer(c), lsh_fm_counters.rx_errors(c),
                lsh_fm_counters.rx_queue_full(c), lsh_fm_counters.cgr_rejections(c), lsh_fm_counters.cgr_changes(c));
    }
}
