// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.dpaa.FrameDescriptor;

/**
 * An RX port's configuration, as an FMan RX port has it: the queue received frames' descriptors go to,
 * the BMan pool it takes buffers from and the buffers' layout. A received frame lies at
 * {@code dataOffset} in its buffer, after the private data and the parse results
 * ({@link #PARSE_RESULT_OFFSET}); its descriptor is contiguous, carries the pool's BPID and a status of
 * 0, {@link FrameDescriptor#STATUS_L4_CHECKSUM_VALIDATED} or {@link FrameDescriptor#STATUS_RX_ERRORS} bits.
 *
 * @param rxFqid a queue from {@link FrameManager#createReceiveQueue}
 * @param bpid the pool of receive buffers (software releases them; an empty pool discards frames)
 * @param bufferSize bytes of every buffer in the pool
 * @param dataOffset where a frame starts in its buffer ({@link #MIN_DATA_OFFSET} to the FD offset maximum)
 */
public record ReceivePort(int rxFqid, int bpid, int bufferSize, int dataOffset) {

    public static final int PARSE_RESULT_OFFSET = hal_h.LSH_RX_PARSE_RESULT_OFFSET();
    public static final int MIN_DATA_OFFSET = hal_h.LSH_RX_MIN_DATA_OFFSET();

    public ReceivePort {
        if (dataOffset < MIN_DATA_OFFSET || dataOffset > FrameDescriptor.OFFSET_MAX || bufferSize <= dataOffset) {
            throw new IllegalArgumentException("receive buffers of " + bufferSize + " bytes with data at " + dataOffset
                    + ": the offset must be " + MIN_DATA_OFFSET + ".." + FrameDescriptor.OFFSET_MAX
                    + " and inside the buffer");
        }
    }
}
