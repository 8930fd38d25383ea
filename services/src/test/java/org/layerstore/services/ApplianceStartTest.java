// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.BoardSettings;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.FrameManagerSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.platform.Platform;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The appliance starts on the board the configuration and the device tree give, and logs which one and why. */
class ApplianceStartTest {

    @TempDir
    Path dir;

    private final Logger logger = (Logger) LoggerFactory.getLogger(Appliance.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void captureLog() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(log);
    }

    private ApplianceConfig config(BoardSettings board, FrameManagerSettings frameManager) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        MqttSettings noTelemetry = new MqttSettings(false, null, null, null, null, "start-test", null, null, null, null,
                null, null, null, null);
        return new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null, List.of(new ShareSettings("files", share, true)),
                noTelemetry, board, frameManager);
    }

    private static Path fixture(String name) {
        return Path.of(System.getProperty("layerstore.boardFixtures"), name);
    }

    private String line(String prefix) {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line starting with " + prefix + " in "
                        + log.list.stream().map(ILoggingEvent::getFormattedMessage).toList()));
    }

    @Test
    void anLs1043ardbLogsItsBoardItsLimitsAndTheBackendWithWhy() throws Exception {
        ApplianceConfig config = config(null, null);
        try (Appliance appliance = Appliance.start(config, Platform.detect(config, fixture("ls1043ardb")))) {
            assertTrue(line("Board: ").startsWith("Board: LS1043A RDB Board (profile ls1043ardb, SoC LS1043A): "
                    + "device-tree compatible \"fsl,ls1043a-rdb\""), line("Board: "));
            assertEquals("Datapath limits: 1522-byte frames, 16 S/G entries, physical addresses, erratum A050385 enforced",
                    line("Datapath limits: "));
            assertTrue(line("Frame manager: ").startsWith("Frame manager: emulated backend live: frameManager.backend "
                    + "auto, board profile ls1043ardb names usdpaa: auto: usdpaa is not usable"), line("Frame manager: "));
            assertTrue(appliance.engines().limits().erratumA050385(), "the engines get the board's limits");
            assertTrue(appliance.frameManagers().open().frameManager().config().a050385(),
                    "portals open with the board's configuration");
            assertEquals(1, appliance.frameManagers().openCount());
        }
    }

    @Test
    void theConfiguredProfileAndBackendWin() throws Exception {
        ApplianceConfig config = config(BoardSettings.defaults().withProfile("ls1046ardb"), new FrameManagerSettings("emulated"));
        try (Appliance appliance = Appliance.start(config, Platform.detect(config, fixture("ls1043ardb")))) {
            assertEquals("Board: LS1046A RDB Board (profile ls1046ardb, SoC LS1046A): profile 'ls1046ardb' set by "
                    + "configuration override", line("Board: "));
            assertTrue(line("Frame manager: ").startsWith("Frame manager: emulated backend live: frameManager.backend "
                    + "emulated in the configuration (board profile ls1046ardb names usdpaa): "), line("Frame manager: "));
            assertTrue(!appliance.engines().limits().erratumA050385());
        }
    }

    @Test
    void anUnusableNamedBackendStopsTheStartOfTheRunningSystemWithTheReason() throws Exception {
        ApplianceConfig config = config(null, new FrameManagerSettings("usdpaa"));
        var e = assertThrows(ConfigException.class, () -> Appliance.start(config));
        assertTrue(e.getMessage().startsWith("frameManager.backend usdpaa is not usable here"), e.getMessage());
    }
}
