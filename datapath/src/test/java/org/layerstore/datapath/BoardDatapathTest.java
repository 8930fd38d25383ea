// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.layerstore.board.BoardDetection;
import org.layerstore.board.BoardDetector;
import org.layerstore.board.BoardLimits;
import org.layerstore.board.BufferPool;
import org.layerstore.board.FmanAddressing;
import org.layerstore.board.FmanPort;
import org.layerstore.board.HalBackend;
import org.layerstore.board.ProfileCatalog;
import org.layerstore.datapath.frames.FramePlan;
import org.layerstore.datapath.frames.PhysicalRun;
import org.layerstore.datapath.frames.Segmenter;
import org.layerstore.hal.fm.FrameManagerConfig;

/** A board detected from its fixture tree reaches the datapath's limits and the frame manager's config. */
class BoardDatapathTest {

    private static BoardDetection detect(String fixture) {
        Path root = Path.of(System.getProperty("layerstore.boardFixtures"), fixture);
        assertTrue(Files.isDirectory(root), "fixture tree " + root);
        return new BoardDetector(root, ProfileCatalog.builtIn()).detect(BoardDetector.AUTO);
    }

    @Test
    void ls1043ardbEnforcesErratumA050385InTheDatapathAndTheFrameManager() {
        BoardDetection detection = detect("ls1043ardb");
        assertEquals("ls1043ardb", detection.profile().id());
        BoardDatapath board = BoardDatapath.of(detection.profile());

        assertTrue(board.limits().erratumA050385());
        assertTrue(board.frameManager().a050385());
        assertEquals(1522, board.limits().macMaxFrameBytes());
        assertEquals(1522, board.frameManager().maxFrameSize());
        assertEquals(1024, board.frameManager().ringDepth());
        assertEquals(1024, board.frameManager().dequeueDepth());
        assertFalse(board.frameManager().smmu());
        assertEquals(DatapathLimits.BusAddressing.PHYSICAL, board.limits().busAddressing());
        // MAC1..MAC6 and MAC9 of fsl-ls1043a-rdb.dts, as device-tree cell-indexes
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 8), board.frameManager().ports());
        assertEquals(List.of("sg-tables", "frame-headers", "rx"), board.bufferPools().stream().map(BufferPool::name).toList());
        // LS1043A reference manual and the Linux driver: 1522-byte frames, 64 bytes of TX headroom, 16 S/G
        // entries, a 20-bit length field, 40-bit bus addresses, plus erratum A050385.
        assertEquals(new DatapathLimits(1522, 64, 16, 20, 40, true, DatapathLimits.BusAddressing.PHYSICAL),
                board.limits());
        assertEquals(board.limits(), DatapathLimits.ls1043a(), "the LS1043A limits are this profile's");

        // The descriptor builder applies the erratum: an unaligned 4 KiB run is bounced into contiguous frames.
        FramePlan plan = new Segmenter(board.limits()).plan(List.of(new PhysicalRun(0x1000, 4096, 0)), 1460);
        assertEquals(plan.frameCount(), plan.contiguousFrames());
    }

    @Test
    void ls1046ardbHasNoErratumAndItsOwnMacs() {
        BoardDetection detection = detect("ls1046ardb");
        assertEquals("ls1046ardb", detection.profile().id());
        BoardDatapath board = BoardDatapath.of(detection.profile());

        assertFalse(board.limits().erratumA050385());
        assertFalse(board.frameManager().a050385());
        assertEquals(new DatapathLimits(1522, 64, 16, 20, 40, false, DatapathLimits.BusAddressing.PHYSICAL),
                board.limits());
        assertEquals(board.limits(), DatapathLimits.ls1046a(), "the LS1046A limits are this profile's");
        assertEquals(List.of(2, 3, 4, 5, 8, 9), board.frameManager().ports());
        FramePlan plan = new Segmenter(board.limits()).plan(List.of(new PhysicalRun(0x1000, 4096, 0)), 1460);
        assertEquals(0, plan.contiguousFrames());
    }

    @Test
    void genericLinuxGetsLs1046aLikeLimitsOnTheEmulatedBackendsOnePort() {
        BoardDetection detection = detect("generic-linux-x86");
        assertEquals(ProfileCatalog.FALLBACK_ID, detection.profile().id());
        assertEquals(HalBackend.EMULATED, detection.profile().hal());
        BoardDatapath board = BoardDatapath.of(detection.profile());

        assertEquals(DatapathLimits.ls1046a(), board.limits());
        assertEquals(FrameManagerConfig.MAX_FRAME_DEFAULT, board.frameManager().maxFrameSize());
        assertFalse(board.frameManager().a050385());
        assertFalse(board.frameManager().smmu());
        assertEquals(256, board.frameManager().ringDepth());
        assertEquals(List.of(BoardDatapath.EMULATED_PORT), board.frameManager().ports());
    }

    @Test
    void smmuTranslatedAddressingReachesBothLayers() {
        BoardLimits smmu = new BoardLimits("smmu-board", 9600, 16, 64, 512, 1, 1, false, FmanAddressing.SMMU_TRANSLATED,
                40, List.of());
        BoardDatapath board = BoardDatapath.of(smmu, List.of(new FmanPort("MAC10", "ethernet@f2000", 10000, "xgmii")));
        assertEquals(DatapathLimits.BusAddressing.SMMU_TRANSLATED, board.limits().busAddressing());
        assertTrue(board.frameManager().smmu());
        assertEquals(9600, board.limits().macMaxFrameBytes());
        assertEquals(9600, board.frameManager().maxFrameSize());
        assertEquals(List.of(9), board.frameManager().ports());
    }

    @Test
    void limitsTheDatapathCannotHaveAreRefusedNamingTheBoard() {
        BoardLimits oneEntry = new BoardLimits("tiny", 1522, 1, 64, 256, 1, 1, false, FmanAddressing.PHYSICAL, 40, List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> BoardDatapath.of(oneEntry, List.of()));
        assertTrue(e.getMessage().startsWith("board profile tiny: S/G entries per frame 1"), e.getMessage());

        BoardLimits deepRing = new BoardLimits("deep", 1522, 16, 64, 8192, 1, 1, false, FmanAddressing.PHYSICAL, 40, List.of());
        e = assertThrows(IllegalArgumentException.class, () -> BoardDatapath.of(deepRing, List.of()));
        assertTrue(e.getMessage().contains("deep") && e.getMessage().contains("ringDepth 8192"), e.getMessage());

        BoardLimits fine = BoardLimits.of("odd-port", detect("ls1046ardb").profile().datapath());
        e = assertThrows(IllegalArgumentException.class,
                () -> BoardDatapath.of(fine, List.of(new FmanPort("10GEC1", "ethernet@f0000", 10000, "xgmii"))));
        assertTrue(e.getMessage().contains("'10GEC1' (ethernet@f0000) is not named MAC1..MAC99"), e.getMessage());
    }
}
