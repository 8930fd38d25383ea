// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCatalogTest {

    private final ProfileCatalog catalog = ProfileCatalog.builtIn();

    @Test
    void everyBuiltInBoardHasAProfile() {
        assertEquals(List.of("ls1046ardb", "ls1046afrwy", "ls1043ardb", "qemu-arm64", "generic-linux"),
                catalog.all().stream().map(BoardProfile::id).toList());
    }

    @Test
    void theLs1046aRdbProfileStatesTheDeviceTreeFacts() {
        BoardProfile rdb = catalog.require("ls1046ardb");
        assertEquals("LS1046A", rdb.soc().name());
        assertEquals(4, rdb.soc().cores());
        assertEquals("0xd08", rdb.soc().cpuPart());
        assertEquals("DPAA1", rdb.soc().dpaa());
        assertEquals(List.of("MAC3", "MAC4", "MAC5", "MAC6", "MAC9", "MAC10"),
                rdb.fmanPorts().stream().map(FmanPort::name).toList());
        assertEquals("xgmii", rdb.fmanPorts().get(4).phyInterface());
        assertEquals(10000, rdb.fmanPorts().get(4).speedMbps());
        assertEquals(1522, rdb.datapath().maxFrameSize());
        assertEquals(FmanAddressing.PHYSICAL, rdb.datapath().addressing());
        assertEquals(List.of(), rdb.datapath().errata());
        assertEquals(HalBackend.USDPAA, rdb.hal());
        assertEquals(5, rdb.thermalZones().size());
        assertEquals("ls1046ardb", rdb.yoctoMachine());
    }

    @Test
    void onlyTheLs1043aCarriesErratumA050385() {
        for (BoardProfile profile : catalog.all()) {
            assertEquals(profile.id().equals("ls1043ardb"), profile.datapath().errata().contains(Erratum.A050385),
                    profile.id());
        }
    }

    @Test
    void boardsWithoutDpaaRunTheEmulatedHal() {
        assertEquals(HalBackend.EMULATED, catalog.require("qemu-arm64").hal());
        assertEquals(HalBackend.EMULATED, catalog.fallback().hal());
        assertTrue(catalog.fallback().compatible().isEmpty());
    }

    @Test
    void anUnknownProfileIdNamesTheKnownOnes() {
        BoardException e = assertThrows(BoardException.class, () -> catalog.require("ls2088ardb"));
        assertTrue(e.getMessage().contains("ls2088ardb") && e.getMessage().contains("ls1046ardb"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsAnErrorNamingTheFileAndTheKey(@TempDir Path dir) throws IOException {
        String yaml = validProfile("my-board", "acme,my-board").replace("hal: emulated", "hal: emulated\nthermalZone: [x]");
        Files.writeString(dir.resolve("my-board.yaml"), yaml);
        BoardException e = assertThrows(BoardException.class, () -> ProfileCatalog.builtInPlus(dir));
        assertTrue(e.getMessage().contains("my-board.yaml") && e.getMessage().contains("thermalZone"), e.getMessage());
    }

    @Test
    void anErratumWithoutADatapathRuleIsRejected() {
        byte[] yaml = validProfile("my-board", "acme,my-board").replace("errata: []", "errata: [A999999]")
                .getBytes(StandardCharsets.UTF_8);
        BoardException e = assertThrows(BoardException.class, () -> ProfileCatalog.parse("my-board.yaml", "my-board", yaml));
        assertTrue(e.getMessage().contains("A999999"), e.getMessage());
    }

    @Test
    void aRingDepthThatIsNoPowerOfTwoIsRejected() {
        byte[] yaml = validProfile("my-board", "acme,my-board").replace("txRingDepth: 256", "txRingDepth: 300")
                .getBytes(StandardCharsets.UTF_8);
        BoardException e = assertThrows(BoardException.class, () -> ProfileCatalog.parse("my-board.yaml", "my-board", yaml));
        assertTrue(e.getMessage().contains("txRingDepth") && e.getMessage().contains("300"), e.getMessage());
    }

    @Test
    void theIdMustMatchTheFileName() {
        byte[] yaml = validProfile("my-board", "acme,my-board").getBytes(StandardCharsets.UTF_8);
        BoardException e = assertThrows(BoardException.class, () -> ProfileCatalog.parse("other.yaml", "other", yaml));
        assertTrue(e.getMessage().contains("other"), e.getMessage());
    }

    @Test
    void anOperatorDirectoryAddsBoards(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("my-board.yaml"), validProfile("my-board", "acme,my-board"));
        ProfileCatalog extended = ProfileCatalog.builtInPlus(dir);
        assertEquals("my-board", extended.claiming("acme,my-board").orElseThrow().id());
        assertEquals(6, extended.all().size());
        assertFalse(catalog.claiming("acme,my-board").isPresent());
    }

    @Test
    void twoProfilesMayNotClaimOneCompatibleString(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("clone.yaml"), validProfile("clone", "fsl,ls1046a-rdb"));
        BoardException e = assertThrows(BoardException.class, () -> ProfileCatalog.builtInPlus(dir));
        assertTrue(e.getMessage().contains("fsl,ls1046a-rdb") && e.getMessage().contains("clone"), e.getMessage());
    }

    private static String validProfile(String id, String compatible) {
        return """
                id: %s
                model: Test board
                compatible: ["%s"]
                soc: {name: test, cores: 2, dpaa: none}
                datapath:
                  maxFrameSize: 1522
                  jumboMaxFrameSize: 9600
                  txRingDepth: 256
                  maxSgEntries: 16
                  txHeadroom: 64
                  addressing: physical
                  errata: []
                hal: emulated
                """.formatted(id, compatible);
    }
}
