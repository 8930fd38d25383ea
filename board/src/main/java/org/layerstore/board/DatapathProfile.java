// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.List;

/**
 * The datapath facts of a board, as written in its profile; {@link BoardLimits} is what consumers read.
 *
 * @param maxFrameSize      the MAC's maximum frame size in bytes (1522 unless jumbo frames are configured)
 * @param jumboMaxFrameSize the largest frame the MAC can be configured for
 * @param txRingDepth       frames in flight per transmit queue before the sender waits for confirmations
 * @param maxSgEntries      scatter/gather entries per frame
 * @param txHeadroom        bytes reserved before the S/G table or frame data
 * @param addressing        whether FMan DMA addresses are physical or SMMU-translated
 * @param errata            silicon errata that change the datapath's rules
 * @param bufferPools       the pools the datapath seeds
 */
public record DatapathProfile(int maxFrameSize, int jumboMaxFrameSize, int txRingDepth, int maxSgEntries,
        int txHeadroom, FmanAddressing addressing, List<Erratum> errata, List<BufferPool> bufferPools) {

    /** The smallest legal Ethernet frame with a VLAN tag is 64 bytes; anything below is a typo. */
    private static final int MIN_FRAME = 64;

    public DatapathProfile {
        if (maxFrameSize < MIN_FRAME || jumboMaxFrameSize < maxFrameSize) {
            throw new BoardException("datapath frame sizes must satisfy " + MIN_FRAME
                    + " <= maxFrameSize <= jumboMaxFrameSize, got " + maxFrameSize + " and " + jumboMaxFrameSize);
        }
        if (txRingDepth <= 0 || Integer.bitCount(txRingDepth) != 1) {
            throw new BoardException("datapath.txRingDepth must be a power of two, got " + txRingDepth);
        }
        if (maxSgEntries < 1 || maxSgEntries > 16) {
            throw new BoardException("datapath.maxSgEntries must be 1-16 (DPAA S/G tables), got " + maxSgEntries);
        }
        if (txHeadroom < 0 || txHeadroom % 16 != 0) {
            throw new BoardException("datapath.txHeadroom must be a non-negative multiple of 16, got " + txHeadroom);
        }
        if (addressing == null) {
            throw new BoardException("datapath.addressing is required (physical or smmu-translated)");
        }
        errata = errata == null ? List.of() : List.copyOf(errata);
        bufferPools = bufferPools == null ? List.of() : List.copyOf(bufferPools);
    }
}
