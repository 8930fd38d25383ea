// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.layerstore.board.BoardLimits;
import org.layerstore.board.BoardProfile;
import org.layerstore.board.BufferPool;
import org.layerstore.board.FmanAddressing;
import org.layerstore.board.FmanPort;
import org.layerstore.board.ProfileCatalog;
import org.layerstore.hal.fm.FrameManagerConfig;

/**
 * What one board profile means for the datapath and the HAL: the single place where the board's
 * {@link BoardLimits} become the descriptor builder's {@link DatapathLimits} and the frame manager's
 * {@link FrameManagerConfig}, so that neither layer carries board constants of its own.
 *
 * @param board        the profile id the values come from
 * @param limits       what every frame the datapath builds obeys
 * @param frameManager what a frame-manager portal is opened with
 * @param bufferPools  the pools to seed on that portal ({@link org.layerstore.hal.fm.FrameManager#createPool})
 */
public record BoardDatapath(String board, DatapathLimits limits, FrameManagerConfig frameManager,
        List<BufferPool> bufferPools) {

    /** Width of the length field of a DPAA1 frame descriptor (include/soc/fsl/qman.h, struct qm_fd: 20 bits). */
    public static final int DPAA1_FRAME_LENGTH_BITS = 20;

    /**
     * The port a board without FMan MACs (generic-linux, QEMU) gives its emulated frame manager: the emulated
     * wire needs one TX port, and MAC1's cell-index is as good as any.
     */
    public static final int EMULATED_PORT = 0;

    /** NXP names the MACs MAC1..MAC10; the device tree numbers them from 0 (cell-index = n - 1). */
    private static final Pattern MAC_NAME = Pattern.compile("MAC([1-9][0-9]?)");

    public BoardDatapath {
        bufferPools = List.copyOf(bufferPools);
    }

    /** The settings of the built-in profile {@code id} (tools and tests that name a board without detecting one). */
    public static BoardDatapath builtIn(String id) {
        return of(ProfileCatalog.builtIn().require(id));
    }

    /** The same board with the frame manager configured otherwise (the configuration's narrower ports, ring depth). */
    public BoardDatapath withFrameManager(FrameManagerConfig config) {
        return new BoardDatapath(board, limits, config, bufferPools);
    }

    /** The datapath and frame-manager settings of a profile. */
    public static BoardDatapath of(BoardProfile profile) {
        return of(profile.limits(), profile.fmanPorts());
    }

    /**
     * @param board the board's limits (errata already folded in)
     * @param ports the board's FMan MACs; their cell-indexes are the frame manager's TX ports ({@value #EMULATED_PORT}
     *              alone when there are none)
     * @throws IllegalArgumentException naming the board when its limits are outside what the datapath or the
     *                                  frame manager can have
     */
    public static BoardDatapath of(BoardLimits board, List<FmanPort> ports) {
        try {
            DatapathLimits limits = new DatapathLimits(board.maxFrameSize(), board.txHeadroom(), board.maxSgEntries(),
                    DPAA1_FRAME_LENGTH_BITS, board.busAddressBits(), board.erratumA050385(), busAddressing(board.addressing()));
            // Confirmation queues as deep as the TX ring: every frame in flight can have its confirmation
            // queued, so the hardware never stalls on a full confirmation queue while the ring has room.
            FrameManagerConfig frameManager = new FrameManagerConfig(board.maxFrameSize(), board.txRingDepth(),
                    board.txRingDepth(), board.erratumA050385(), board.addressing() == FmanAddressing.SMMU_TRANSLATED,
                    portIds(ports));
            return new BoardDatapath(board.board(), limits, frameManager, board.bufferPools());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("board profile " + board.board() + ": " + e.getMessage(), e);
        }
    }

    static DatapathLimits.BusAddressing busAddressing(FmanAddressing addressing) {
        return switch (addressing) {
            case PHYSICAL -> DatapathLimits.BusAddressing.PHYSICAL;
            case SMMU_TRANSLATED -> DatapathLimits.BusAddressing.SMMU_TRANSLATED;
        };
    }

    private static List<Integer> portIds(List<FmanPort> ports) {
        if (ports.isEmpty()) {
            return List.of(EMULATED_PORT);
        }
        List<Integer> ids = new ArrayList<>();
        for (FmanPort port : ports) {
            Matcher mac = MAC_NAME.matcher(port.name());
            if (!mac.matches()) {
                throw new IllegalArgumentException("FMan port '" + port.name() + "' (" + port.node()
                        + ") is not named MAC1..MAC99, so its cell-index is unknown");
            }
            ids.add(Integer.parseInt(mac.group(1)) - 1);
        }
        return ids;
    }
}
