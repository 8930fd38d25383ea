// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.EmbeddedBrokerSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.DemoCertificate;
import org.layerstore.services.http.auth.UserDirectory;

/**
 * The dashboard in headless Chromium, as an operator opens it: served by the appliance and connected over
 * WebSocket to the embedded broker (the zero-configuration default), then on its own (the standalone copy
 * opened from disk) against Mosquitto's WebSocket listener, with the broker named in the URL. The published values must appear on the page; the
 * screenshots are kept under target/dashboard/.
 */
class DashboardBrowserTest {

    static final String DEVICE = "rack-7";
    static final Path ARTIFACTS = Path.of("target", "dashboard");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theServedDashboardShowsWhatTheApplianceAndTheEmbeddedBrokerPublish() throws Exception {
        MqttSettings mqtt = new MqttSettings(true, null, null, null, null, DEVICE, null, null, 1, null, null, null, null,
                new EmbeddedBrokerSettings("127.0.0.1", 0, 0));
        try (Appliance appliance = Appliance.start(config(mqtt), new ScriptedProviders().providers());
                HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"), 1440, 1000)) {
            chromium.navigate(appliance.dashboardUrl());
            assertShowsPublishedValues(chromium);
            // Events are not retained: the page shows those that happen while it is open.
            appliance.telemetry().events().upload("files", "/projects/render-042.exr", 268_435_456);
            appliance.telemetry().events().engineFallback("fman", "sendfile", "buffer pool exhausted");
            chromium.awaitText("document.getElementById('events').textContent", "engine_fallback", 20);
            chromium.awaitText("document.getElementById('events').textContent", "render-042.exr", 5);
            assertEquals("online", chromium.evaluate("document.getElementById('availability').textContent"));
            Thread.sleep(6_000); // a few more samples, so that the charts show lines
            chromium.screenshot(ARTIFACTS.resolve("dashboard-embedded-broker.png"));
            assertTrue(Files.size(ARTIFACTS.resolve("dashboard-embedded-broker.png")) > 20_000);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDashboardWorksOnItsOwnAgainstMosquittoOverWebSocket() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")))) {
            MqttSettings mqtt = new MqttSettings(true, broker.url(), MosquittoBroker.USER, MosquittoBroker.PASSWORD, null,
                    DEVICE, null, "site/a", 1, null, null, null, null, null);
            try (Appliance appliance = Appliance.start(config(mqtt), new ScriptedProviders().providers());
                    HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"), 1440, 1000)) {
                // The standalone copy the build leaves in services/target/dist/dashboard, opened from disk.
                Path standalone = Path.of(System.getProperty("layerstore.repo"), "services/target/dist/dashboard/index.html");
                assertTrue(Files.isRegularFile(standalone), standalone + " is missing from the build");
                String page = standalone.toUri() + "?broker=" + encode(broker.websocketUrl()) + "&prefix=site/a"
                        + "&username=" + MosquittoBroker.USER + "&password=" + encode(MosquittoBroker.PASSWORD);
                assertEquals(broker.url(), appliance.telemetry().brokerUrl().orElseThrow());
                chromium.navigate(page);
                assertShowsPublishedValues(chromium);
                assertTrue(chromium.evaluate("document.getElementById('broker-status').textContent")
                        .contains("127.0.0.1:"), "connected to Mosquitto's WebSocket listener");
                chromium.screenshot(ARTIFACTS.resolve("dashboard-mosquitto.png"));
            }
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void overHttpsWithUsersTheDashboardSignsInAndReachesTheBrokerByWss() throws Exception {
        Path users = Files.writeString(dir.resolve("users"), "alice:" + UserDirectory.hash("s3cret", 4) + "\n");
        MqttSettings mqtt = new MqttSettings(true, null, null, null, null, DEVICE, null, null, 1, null, null, null, null,
                new EmbeddedBrokerSettings(null, 0, 0));
        ApplianceConfig config = config(mqtt).withAuth(new AuthSettings(users, null, false))
                .withHttp(new HttpSettings("127.0.0.1", 0).withTls(DemoCertificate.create(dir.resolve("tls"))));
        try (Appliance appliance = Appliance.start(config, new ScriptedProviders().providers());
                HeadlessChromium chromium = HeadlessChromium.start(dir.resolve("profile"), 1440, 1000,
                        List.of("--ignore-certificate-errors"))) {
            // The browser answers the first 401, then sends the password with the page's every request under
            // /_dashboard/, the WebSocket's upgrade to /_dashboard/mqtt included.
            chromium.signInAs("alice", "s3cret");
            chromium.navigate(appliance.dashboardUrl());
            assertShowsPublishedValues(chromium);
            assertEquals("https:", chromium.evaluate("location.protocol"));
            chromium.screenshot(ARTIFACTS.resolve("dashboard-https-signed-in.png"));
        }
    }

    /** Values the scripted providers publish, as the page formats them. */
    private static void assertShowsPublishedValues(HeadlessChromium chromium) throws Exception {
        chromium.awaitText("document.getElementById('device-name').textContent", DEVICE, 30);
        chromium.awaitText("document.getElementById('availability').textContent", "online", 10);
        chromium.awaitText("document.getElementById('tile-temperature').textContent", "47.5 °C", 20);
        chromium.awaitText("document.getElementById('device-meta').textContent", ScriptedProviders.BOARD, 5);
        chromium.awaitText("document.getElementById('frame-manager').textContent", "DMA errors2", 5);
        chromium.awaitText("document.getElementById('nics').textContent", "eth0", 5);
        chromium.awaitText("document.getElementById('tile-disk').textContent", "iB", 5);
        // Throughput per engine: one line per engine, and the total of 170 MiB/s in the tile once rates exist.
        chromium.awaitText("Chart.getChart('chart-throughput').data.datasets.map(d => d.label).sort().join(',')",
                "fman,sendfile", 10);
        chromium.awaitText("document.getElementById('tile-throughput').textContent", "170", 10);
        String cpu = chromium.evaluate("document.getElementById('tile-cpu').textContent");
        assertTrue(cpu.matches("[0-9.]+ %"), "CPU tile: " + cpu);
    }

    private ApplianceConfig config(MqttSettings mqtt) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        return new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null, List.of(new ShareSettings("files", share, false).withAnonymous(ShareSettings.ANONYMOUS_READ)), mqtt);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
