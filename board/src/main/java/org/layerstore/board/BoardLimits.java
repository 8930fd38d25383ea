// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.List;
import java.util.Optional;

/**
 * The datapath limits of the board the appliance runs on: what the HAL and the descriptor builder obey,
 * taken from the board profile rather than from constants of their own.
 *
 * @param board                  the profile id these limits come from
 * @param maxFrameSize           the MAC's maximum frame size in bytes; no frame may be longer
 * @param maxSgEntries           scatter/gather entries per frame
 * @param txHeadroom             bytes reserved before the S/G table or the frame data
 * @param txRingDepth            frames in flight per transmit queue
 * @param dataStartAlignment     every frame's and fragment's data must start at a multiple of this (1 = any)
 * @param fragmentLengthMultiple every S/G fragment but the last must be a multiple of this long (1 = any)
 * @param erratumA050385         whether the LS1043A A050385 rules are in force
 * @param addressing             physical or SMMU-translated FMan DMA addresses
 * @param busAddressBits         width of a descriptor's address field (40 on DPAA1)
 * @param bufferPools            the pools the datapath seeds
 */
public record BoardLimits(String board, int maxFrameSize, int maxSgEntries, int txHeadroom, int txRingDepth,
        int dataStartAlignment, int fragmentLengthMultiple, boolean erratumA050385, FmanAddressing addressing,
        int busAddressBits, List<BufferPool> bufferPools) {

    /** DPAA1 frame and S/G descriptors hold 40-bit addresses (include/soc/fsl/qman.h: addr_hi 8 bits + addr_lo 32). */
    public static final int DPAA1_ADDRESS_BITS = 40;

    public BoardLimits {
        bufferPools = List.copyOf(bufferPools);
    }

    /** The limits a profile's datapath section implies, errata rules folded in. */
    public static BoardLimits of(String board, DatapathProfile datapath) {
        int alignment = 1;
        int multiple = 1;
        for (Erratum erratum : datapath.errata()) {
            alignment = Math.max(alignment, erratum.dataStartAlignment());
            multiple = Math.max(multiple, erratum.fragmentLengthMultiple());
        }
        return new BoardLimits(board, datapath.maxFrameSize(), datapath.maxSgEntries(), datapath.txHeadroom(),
                datapath.txRingDepth(), alignment, multiple, datapath.errata().contains(Erratum.A050385),
                datapath.addressing(), DPAA1_ADDRESS_BITS, datapath.bufferPools());
    }

    /** Whether pagemap physical addresses can go into descriptors as they are (no SMMU translation). */
    public boolean busAddressIsPhysical() {
        return addressing == FmanAddressing.PHYSICAL;
    }

    /**
     * Checks one fragment of a frame against these limits.
     *
     * @param busAddress where the fragment's data starts
     * @param length     the fragment's length in bytes
     * @param last       whether it is the frame's last fragment (exempt from the length multiple)
     * @return why the fragment breaks a rule, or empty when it obeys all of them
     */
    public Optional<String> fragmentViolation(long busAddress, long length, boolean last) {
        if (length <= 0) {
            return Optional.of("fragment length must be positive, got " + length);
        }
        if (busAddress < 0 || (busAddress + length - 1) >>> busAddressBits != 0) {
            return Optional.of(String.format("fragment 0x%x+%d does not fit %d-bit bus addresses", busAddress, length,
                    busAddressBits));
        }
        if (busAddress % dataStartAlignment != 0) {
            return Optional.of(String.format("fragment at 0x%x is not %d-byte aligned%s", busAddress,
                    dataStartAlignment, erratumA050385 ? " (erratum A050385)" : ""));
        }
        if (!last && length % fragmentLengthMultiple != 0) {
            return Optional.of("non-last fragment of " + length + " bytes is not a multiple of " + fragmentLengthMultiple
                    + (erratumA050385 ? " (erratum A050385)" : ""));
        }
        return Optional.empty();
    }

    /**
     * The longest prefix of a physically contiguous run that may be a non-last fragment: the run cut down to
     * the fragment length multiple (the whole run when no multiple applies). 0 means the run is too short to
     * stand as a non-last fragment and must be merged or copied.
     */
    public long nonLastFragmentLength(long runLength) {
        return runLength - runLength % fragmentLengthMultiple;
    }
}
