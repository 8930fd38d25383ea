// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import org.layerstore.board.ProfileCatalog;

/**
 * The hardware limits every frame the datapath builds must respect. They come from the board profile
 * (the board layer fills them in, see {@link BoardDatapath}); {@link #ls1046a()} and {@link #ls1043a()} are
 * those of the reference boards of the two DPAA1 SoCs the product targets, read from their built-in profiles.
 *
 * @param macMaxFrameBytes       the MAC's maximum frame size including FCS (1522 by default, up to 9600
 *                               with jumbo frames); a TCP segment is cut so its frame fits
 * @param txHeadroomBytes        bytes the driver reserves before a frame's first buffer (S/G tables and
 *                               parse results live there)
 * @param maxSgEntries           entries one S/G table may hold (16 on DPAA1, no extension entries); one
 *                               is the header buffer, the rest carry payload
 * @param maxFrameLengthBits     width of the length field of a contiguous or S/G frame descriptor (20)
 * @param physicalAddressBits    width of the bus address the frame manager can reach (40)
 * @param erratumA050385         LS1043A erratum A050385: buffer starts 256-byte aligned and every
 *                               fragment but the last a multiple of 256 bytes; frames that cannot meet it
 *                               are bounced (copied) into one contiguous buffer, as the Linux driver does
 * @param busAddressing          whether the frame manager sees physical addresses or SMMU-translated ones
 */
public record DatapathLimits(int macMaxFrameBytes, int txHeadroomBytes, int maxSgEntries, int maxFrameLengthBits,
                             int physicalAddressBits, boolean erratumA050385, BusAddressing busAddressing) {

    /** The alignment and size granule of erratum A050385. */
    public static final int A050385_ALIGNMENT = 256;

    /** Ethernet header (14) + IPv4 header (20) + TCP header (20): what every frame's header buffer holds. */
    public static final int FRAME_HEADER_BYTES = 14 + 20 + 20;

    /** Ethernet frame overhead the MAC max frame includes beyond the IP packet: header, VLAN tag, FCS. */
    private static final int MAC_OVERHEAD_BYTES = 14 + 4 + 4;

    public DatapathLimits {
        if (macMaxFrameBytes < 64 || macMaxFrameBytes > 9600) {
            throw new IllegalArgumentException("MAC max frame " + macMaxFrameBytes + " outside [64, 9600]");
        }
        if (maxSgEntries < 2 || maxSgEntries > 16) {
            throw new IllegalArgumentException("S/G entries per frame " + maxSgEntries + " outside [2, 16]");
        }
        if (maxFrameLengthBits < 16 || maxFrameLengthBits > 29) {
            throw new IllegalArgumentException("frame length field of " + maxFrameLengthBits + " bits outside [16, 29]");
        }
        if (physicalAddressBits < 32 || physicalAddressBits > 64) {
            throw new IllegalArgumentException("address width " + physicalAddressBits + " bits outside [32, 64]");
        }
        if (txHeadroomBytes < 0 || txHeadroomBytes % 16 != 0) {
            throw new IllegalArgumentException("TX headroom " + txHeadroomBytes + " is not a non-negative multiple of 16");
        }
        if (busAddressing == null) {
            throw new IllegalArgumentException("bus addressing must be stated");
        }
    }

    /** LS1046A (Cortex-A72, DPAA1): the limits of the built-in {@code ls1046ardb} board profile. */
    public static DatapathLimits ls1046a() {
        return ReferenceBoards.LS1046A;
    }

    /** LS1043A (Cortex-A53, DPAA1, erratum A050385): the limits of the built-in {@code ls1043ardb} board profile. */
    public static DatapathLimits ls1043a() {
        return ReferenceBoards.LS1043A;
    }

    /**
     * The profiles hold the numbers (frame size, headroom, S/G entries, address width, errata): never retyped
     * here. Read once, on first use.
     */
    private static final class ReferenceBoards {
        static final DatapathLimits LS1046A = BoardDatapath.of(ProfileCatalog.builtIn().require("ls1046ardb")).limits();
        static final DatapathLimits LS1043A = BoardDatapath.of(ProfileCatalog.builtIn().require("ls1043ardb")).limits();
    }

    /** The same limits with another MAC max frame (jumbo frames). */
    public DatapathLimits withMacMaxFrameBytes(int bytes) {
        return new DatapathLimits(bytes, txHeadroomBytes, maxSgEntries, maxFrameLengthBits, physicalAddressBits,
                erratumA050385, busAddressing);
    }

    /** The largest IP packet (MTU) a frame can carry. */
    public int mtuBytes() {
        return macMaxFrameBytes - MAC_OVERHEAD_BYTES;
    }

    /** The largest TCP payload one frame can carry (MTU minus IPv4 and TCP headers without options). */
    public int maxSegmentPayload() {
        return mtuBytes() - 40;
    }

    /** Payload entries one S/G frame may have: every entry but the header buffer's. */
    public int maxPayloadEntries() {
        return maxSgEntries - 1;
    }

    /** The largest length a frame descriptor's length field holds. */
    public long maxFrameLength() {
        return (1L << maxFrameLengthBits) - 1;
    }

    /** True when {@code address + length} is reachable by the frame manager's DMA. */
    public boolean addressable(long address, long length) {
        return physicalAddressBits == 64 || address + length <= (1L << physicalAddressBits);
    }

    /** How the frame manager's DMA addresses relate to the physical addresses pagemap reports. */
    public enum BusAddressing {
        /** The FMan stream bypasses the SMMU: bus address = physical address. */
        PHYSICAL,
        /** The SMMU translates the FMan stream: physical addresses are not bus addresses. */
        SMMU_TRANSLATED
    }
}
