// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.EmbeddedBrokerSettings;
import org.layerstore.services.config.FrameManagerSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;
import org.layerstore.services.http.Curl;
import org.layerstore.services.http.TestOffloadNetworks;
import org.layerstore.services.platform.Platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The board's frame-manager settings reach the portal the offload port's link sends through, and that portal is
 * the appliance's: a download through the offload port on an LS1046A-RDB opens one portal through the appliance's
 * frame managers, on the first of the configuration's ports, and the telemetry the embedded broker carries gets its
 * frame_manager group with the frames sent. Skips, saying why, without root, ip, ethtool or curl.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FrameManagerTelemetryTest {

    private static final int FILE_BYTES = 1024 * 1024 + 5;

    @TempDir
    Path dir;

    @Test
    void anOffloadPortDownloadGoesThroughTheBoardsPortalAndTelemetryPublishesItsCounters() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        byte[] content = new byte[FILE_BYTES];
        new Random(15).nextBytes(content);
        Files.write(share.resolve("big.bin"), content);
        MqttSettings mqtt = new MqttSettings(true, null, null, null, null, "fm-telemetry", null, null, 1, null, null,
                null, null, new EmbeddedBrokerSettings(null, 0, 0));
        try (OffloadDemoNetwork network = TestOffloadNetworks.create("lsft")) {
            ApplianceConfig config = new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null,
                    List.of(new ShareSettings("off", share, true).withAnonymous("read")), mqtt, null,
                    new FrameManagerSettings("auto", List.of(4, 8), null, null), null,
                    new OffloadSettings(network.stackInterface(), OffloadDemoNetwork.STACK_ADDRESS + "/24")
                            .withWire(OffloadSettings.WIRE_FRAME_MANAGER));
            Platform board = Platform.detect(config, Path.of(System.getProperty("layerstore.boardFixtures"), "ls1046ardb"));
            try (Appliance appliance = Appliance.start(config, board)) {
                AtomicReference<JsonNode> latest = new AtomicReference<>();
                MqttClient watcher = new MqttClient(appliance.telemetry().embeddedBroker().orElseThrow().mqttUrl(),
                        "watcher", new MemoryPersistence());
                watcher.connect(new MqttConnectionOptions());
                IMqttMessageListener sample = (topic, m) -> latest.set(JsonMapper.builder().build().readTree(m.getPayload()));
                watcher.subscribe(new MqttSubscription[] {new MqttSubscription("layerstore/fm-telemetry/telemetry", 0)},
                        new IMqttMessageListener[] {sample});
                try {
                    assertEquals(1, appliance.frameManagers().openCount(), "the offload port's portal is the appliance's");
                    FrameManagerConfig portal = appliance.frameManagers().configs().getFirst();
                    assertEquals(List.of(4), portal.ports(), "the first of the configuration's ports");
                    JsonNode before = await(latest, m -> m.has("frame_manager"));
                    long framesBefore = before.at("/frame_manager/frames/value").asLong();

                    String url = "http://" + OffloadDemoNetwork.STACK_ADDRESS + ":" + appliance.httpAddress().getPort()
                            + "/off/big.bin";
                    Curl.Response got = Curl.inNamespace(network.namespace(), dir).run(url);
                    assertEquals(200, got.status());
                    assertArrayEquals(content, got.body());

                    long frames = (FILE_BYTES + 1459) / 1460;
                    JsonNode after = await(latest, m -> m.at("/frame_manager/frames/value").asLong() >= framesBefore + frames);
                    assertTrue(after.at("/frame_manager/frames/value").asLong() >= framesBefore + frames, after.toString());
                    assertEquals(0, after.at("/frame_manager/dma_errors/value").asLong());
                    assertEquals(0, after.at("/frame_manager/rejections/value").asLong());
                    assertTrue(after.at("/netstack/link_dma_bytes/value").asLong() >= FILE_BYTES, after.toString());
                } finally {
                    watcher.disconnect();
                    watcher.close();
                }
            }
        }
    }

    private static JsonNode await(AtomicReference<JsonNode> latest, java.util.function.Predicate<JsonNode> ok)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JsonNode sample = latest.get();
            if (sample != null && ok.test(sample.path("metrics"))) {
                return sample.path("metrics");
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no telemetry sample as expected within 60 s; last: " + latest.get());
    }
}
