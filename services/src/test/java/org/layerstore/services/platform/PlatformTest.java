// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.BoardSettings;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.ConfigLoader;
import org.layerstore.services.config.FrameManagerSettings;
import org.layerstore.services.telemetry.providers.PlatformProviders;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** Board detection and backend choice from the configuration and the board fixture trees. */
class PlatformTest {

    @TempDir
    Path dir;

    static Path fixture(String name) {
        Path root = Path.of(System.getProperty("layerstore.boardFixtures"), name);
        assertTrue(Files.isDirectory(root), "fixture tree " + root);
        return root;
    }

    private ApplianceConfig config(String profile, String backend) {
        return ApplianceConfig.defaults().withBoard(new BoardSettings(profile, dir.resolve("no-extra-profiles")))
                .withFrameManager(new FrameManagerSettings(backend));
    }

    @Test
    void ls1043ardbIsDetectedAndItsUsdpaaProfileFallsBackToTheEmulatedBackendSayingWhy() {
        Platform platform = Platform.detect(config("auto", "auto"), fixture("ls1043ardb"));
        assertEquals("ls1043ardb", platform.profile().id());
        assertTrue(platform.board().reason().contains("fsl,ls1043a-rdb"), platform.board().reason());
        assertTrue(platform.datapath().limits().erratumA050385());
        assertTrue(platform.datapath().frameManager().a050385());

        BackendChoice backend = platform.backend();
        assertTrue(backend.available(), backend.reason());
        assertEquals(FrameManagerBackends.EMULATED, backend.liveName());
        assertTrue(backend.reason().startsWith("frameManager.backend auto, board profile ls1043ardb names usdpaa: auto: "
                + "usdpaa is not usable"), backend.reason());
    }

    @Test
    void aGenericHostRunsTheEmulatedBackendWithoutProbingUsdpaa() {
        Platform platform = Platform.detect(config("auto", "auto"), fixture("generic-linux-x86"));
        assertEquals("generic-linux", platform.profile().id());
        assertEquals(FrameManagerBackends.EMULATED, platform.backend().liveName());
        assertTrue(platform.backend().reason().startsWith("frameManager.backend auto, board profile generic-linux names "
                + "emulated: "), platform.backend().reason());
        assertFalse(platform.backend().reason().contains("usdpaa"), platform.backend().reason());
        assertFalse(platform.datapath().limits().erratumA050385());
    }

    @Test
    void theConfiguredProfileOverridesDetectionAndACpuMismatchIsAWarning() {
        Platform platform = Platform.detect(config("ls1046ardb", "auto"), fixture("ls1043ardb"));
        assertEquals("ls1046ardb", platform.profile().id());
        assertEquals("profile 'ls1046ardb' set by configuration override", platform.board().reason());
        assertFalse(platform.datapath().limits().erratumA050385(), "the override's limits, not the detected board's");
        assertTrue(platform.board().warnings().stream().anyMatch(w -> w.contains("expects CPU part 0xd08")),
                platform.board().warnings().toString());
    }

    @Test
    void anUnknownProfileIsAConfigurationErrorListingTheKnownOnes() {
        var e = assertThrows(ConfigException.class, () -> Platform.detect(config("ls2088ardb", "auto"),
                fixture("ls1046ardb")));
        assertTrue(e.getMessage().startsWith("board: unknown board profile 'ls2088ardb'; known: ["), e.getMessage());
        assertTrue(e.getMessage().contains("ls1043ardb"), e.getMessage());
    }

    @Test
    void aProfileInTheProfilesDirectoryReplacesTheBuiltInOne() throws Exception {
        Path profiles = Files.createDirectories(dir.resolve("boards"));
        String builtIn = new String(Platform.class.getResourceAsStream("/org/layerstore/board/profiles/ls1046ardb.yaml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(profiles.resolve("ls1046ardb.yaml"), builtIn.replace("maxFrameSize: 1522", "maxFrameSize: 9600"));
        ApplianceConfig config = ApplianceConfig.defaults().withBoard(new BoardSettings(null, profiles));
        Platform platform = Platform.detect(config, fixture("ls1046ardb"));
        assertEquals(9600, platform.datapath().limits().macMaxFrameBytes());
        assertEquals(9600, platform.datapath().frameManager().maxFrameSize());
    }

    /** The profile's TX ports and ring depth reach the portals' configuration; the YAML may narrow them, not invent. */
    @Test
    void theConfigurationNarrowsTheBoardsPortsAndRingDepth() throws Exception {
        Platform board = Platform.detect(config("auto", "auto"), fixture("ls1046ardb"));
        assertEquals(List.of(2, 3, 4, 5, 8, 9), board.datapath().frameManager().ports(), "MAC3-6, MAC9, MAC10");
        assertEquals(1024, board.datapath().frameManager().ringDepth());
        assertEquals(1024, board.frameManagers().boardConfig().dequeueDepth());

        Path yaml = Files.writeString(dir.resolve("layerstore.yaml"), """
                board: {profilesDir: %s}
                frameManager: {backend: emulated, ports: [9, 2], txRingDepth: 512, verifyPinning: true}
                """.formatted(dir.resolve("no-extra-profiles")));
        ApplianceConfig loaded = new ConfigLoader().load(yaml);
        assertTrue(loaded.frameManager().verifyPinning());
        assertFalse(ApplianceConfig.defaults().frameManager().verifyPinning(), "a debug mode, off by default");
        Platform narrowed = Platform.detect(loaded, fixture("ls1046ardb"));
        assertEquals(List.of(9, 2), narrowed.frameManagers().boardConfig().ports());
        assertEquals(512, narrowed.frameManagers().boardConfig().ringDepth());
        assertEquals(512, narrowed.frameManagers().boardConfig().dequeueDepth());

        var foreign = assertThrows(ConfigException.class, () -> Platform.detect(ApplianceConfig.defaults()
                .withFrameManager(new FrameManagerSettings("auto", List.of(2, 7), null, null)), fixture("ls1046ardb")));
        assertEquals("frameManager.ports [7] are not FMan ports of board ls1046ardb (it has [2, 3, 4, 5, 8, 9])",
                foreign.getMessage());
        var deep = assertThrows(ConfigException.class, () -> Platform.detect(ApplianceConfig.defaults()
                .withFrameManager(new FrameManagerSettings("auto", null, 5000, null)), fixture("ls1046ardb")));
        assertTrue(deep.getMessage().startsWith("frameManager.txRingDepth 5000: "), deep.getMessage());
        var empty = assertThrows(ConfigException.class, () -> new FrameManagerSettings("auto", List.of(), null, null));
        assertTrue(empty.getMessage().startsWith("frameManager.ports must list at least one port"), empty.getMessage());
    }

    @Test
    void aNamedBackendIsAnOrder() {
        Platform emulated = Platform.detect(config("auto", "emulated"), fixture("ls1046ardb"));
        assertEquals(FrameManagerBackends.EMULATED, emulated.backend().liveName());
        assertTrue(emulated.backend().reason().startsWith("frameManager.backend emulated in the configuration (board "
                + "profile ls1046ardb names usdpaa): "), emulated.backend().reason());

        var e = assertThrows(ConfigException.class, () -> Platform.detect(config("auto", "usdpaa"), fixture("ls1046ardb")));
        assertTrue(e.getMessage().startsWith("frameManager.backend usdpaa is not usable here: "
                + FrameManagerBackends.choose("usdpaa").reason()), e.getMessage());
        assertTrue(e.getMessage().endsWith("(set it to auto to fall back to the emulated backend)"), e.getMessage());
    }

    @Test
    void withoutAUsableBackendNoPortalOpensAndTelemetrySaysNone() {
        Platform detected = Platform.detect(config("auto", "auto"), fixture("ls1046ardb"));
        BackendChoice unusable = new BackendChoice("auto", new BackendAvailability("emulated", false,
                "the HAL native library is not usable: no liblayerstore-hal for linux-riscv64"), "frameManager.backend auto, "
                + "board profile ls1046ardb names usdpaa: the HAL native library is not usable");
        Platform platform = new Platform(detected.root(), detected.board(), detected.datapath(), unusable);
        assertEquals("none", platform.backend().liveName());
        assertEquals("none", PlatformProviders.identity(platform).halBackend());
        try (FrameManagers frameManagers = platform.frameManagers()) {
            var e = assertThrows(IllegalStateException.class, frameManagers::open);
            assertEquals("no frame-manager backend is usable: " + unusable.reason(), e.getMessage());
        }

        Logger logger = (Logger) LoggerFactory.getLogger("platform-test");
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        platform.log(logger);
        ILoggingEvent last = log.list.getLast();
        assertEquals(Level.WARN, last.getLevel());
        assertTrue(last.getFormattedMessage().startsWith("Frame manager: no backend usable (emulated is not): "
                + "frameManager.backend auto"), last.getFormattedMessage());
    }
}
