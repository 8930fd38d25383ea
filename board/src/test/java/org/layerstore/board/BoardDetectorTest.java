// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BoardDetectorTest {

    private final ProfileCatalog catalog = ProfileCatalog.builtIn();

    private BoardDetection detect(String fixture, String override) {
        return new BoardDetector(Fixtures.root(fixture), catalog).detect(override);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "ls1046ardb  | ls1046ardb  | fsl,ls1046a-rdb",
            "ls1046afrwy | ls1046afrwy | fsl,ls1046a-frwy",
            "ls1043ardb  | ls1043ardb  | fsl,ls1043a-rdb",
            "qemu-arm64  | qemu-arm64  | linux,dummy-virt"})
    void eachBoardIsRecognisedByItsMostSpecificCompatibleString(String fixture, String profile, String compatible) {
        BoardDetection detection = detect(fixture, BoardDetector.AUTO);
        assertEquals(profile, detection.profile().id());
        assertTrue(detection.reason().contains("\"" + compatible + "\""), detection.reason());
        assertEquals(List.of(), detection.warnings());
    }

    @Test
    void theFrwyTreeIsFoundUnderSysFirmwareWhenProcHasNone() {
        BoardDetection detection = detect("ls1046afrwy", null);
        assertTrue(detection.reason().contains("sys/firmware/devicetree/base/compatible"), detection.reason());
        assertEquals("LS1046A FRWY Board", detection.model());
        assertEquals(List.of("fsl,ls1046a-frwy", "fsl,ls1046a"), detection.compatible());
    }

    @Test
    void cpuinfoIsReadAlongside() {
        BoardDetection detection = detect("ls1043ardb", BoardDetector.AUTO);
        assertEquals(4, detection.cpu().processors());
        assertEquals(Set.of("0xd03"), detection.cpu().cpuParts());
    }

    @Test
    void aBoardNoProfileClaimsRunsAsGenericLinuxWithAWarning() {
        BoardDetection detection = detect("unknown-arm64", BoardDetector.AUTO);
        assertEquals(ProfileCatalog.FALLBACK_ID, detection.profile().id());
        assertTrue(detection.reason().contains("raspberrypi,4-model-b"), detection.reason());
        assertEquals(1, detection.warnings().size());
        assertTrue(detection.warnings().getFirst().contains("unknown board"), detection.warnings().toString());
    }

    @Test
    void aHostWithoutDeviceTreeRunsAsGenericLinuxWithAWarning() {
        BoardDetection detection = detect("generic-linux-x86", BoardDetector.AUTO);
        assertEquals(ProfileCatalog.FALLBACK_ID, detection.profile().id());
        assertTrue(detection.reason().startsWith("no device tree"), detection.reason());
        assertEquals(List.of(), detection.compatible());
        assertTrue(detection.cpu().modelName().contains("i7-1260P"));
        assertEquals(1, detection.warnings().size());
    }

    @Test
    void anOverrideWinsOverTheDeviceTree() {
        BoardDetection detection = detect("unknown-arm64", "qemu-arm64");
        assertEquals("qemu-arm64", detection.profile().id());
        assertTrue(detection.reason().contains("override"), detection.reason());
    }

    @Test
    void anOverrideThatDisagreesWithTheCpuIsFlagged() {
        BoardDetection detection = detect("ls1046ardb", "ls1043ardb");
        assertEquals("ls1043ardb", detection.profile().id());
        assertEquals(1, detection.warnings().size());
        assertTrue(detection.warnings().getFirst().contains("0xd03") && detection.warnings().getFirst().contains("0xd08"),
                detection.warnings().toString());
    }

    @Test
    void anUnknownOverrideIsAnErrorNotAFallback() {
        BoardException e = assertThrows(BoardException.class, () -> detect("ls1046ardb", "ls1046a-rdb"));
        assertTrue(e.getMessage().contains("ls1046a-rdb"), e.getMessage());
    }
}
