// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The appliance publishing to a real Mosquitto (password authentication) every second, with the other
 * layers' providers present: availability, the telemetry fields the issue lists, Home Assistant discovery
 * and events, as an operator's MQTT client receives them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class TelemetryMosquittoTest {

    static final String PREFIX = "lab/layerstore";
    static final String DEVICE = "bench-1";
    static final String BASE = PREFIX + "/" + DEVICE;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    private MosquittoBroker broker;
    private Appliance appliance;
    private MqttRecorder operator;

    @BeforeAll
    void start() throws Exception {
        broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")));
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("hello.txt"), "hello\n");
        MqttSettings mqtt = new MqttSettings(true, broker.url(), MosquittoBroker.USER, MosquittoBroker.PASSWORD, null,
                DEVICE, null, PREFIX, 1, 1000, 2, null, null, null);
        ApplianceConfig config = new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null,
                List.of(new ShareSettings("files", share, true).withAnonymous(ShareSettings.ANONYMOUS_READ)), mqtt);
        operator = new MqttRecorder(broker.url(), "operator", false, BASE + "/#", "homeassistant/#");
        appliance = Appliance.start(config, new ScriptedProviders().providers());
    }

    @AfterAll
    void stop() throws Exception {
        if (appliance != null) {
            appliance.close();
        }
        if (operator != null) {
            operator.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aNewSubscriberFindsTheRetainedOnline() throws Exception {
        operator.await(r -> r.topic().equals(BASE + "/availability") && r.payload().equals("online"), 20, TimeUnit.SECONDS);
        try (MqttRecorder late = new MqttRecorder(broker.url(), "late-subscriber", false, BASE + "/availability")) {
            MqttRecorder.Received availability = late.await(r -> true, 10, TimeUnit.SECONDS);
            assertEquals("online", availability.payload());
            assertTrue(availability.retained(), "availability must be retained");
        }
    }

    @Test
    void telemetryArrivesEverySecondWithEveryField() throws Exception {
        List<MqttRecorder.Received> samples = operator.awaitCount(BASE + "/telemetry", 5, 30, TimeUnit.SECONDS);
        List<JsonNode> parsed = new ArrayList<>();
        for (MqttRecorder.Received r : samples) {
            parsed.add(JSON.readTree(r.payload()));
        }
        // The interval, read from the samples' own timestamps: sampling runs at a fixed rate, so one late
        // sample is followed by an early one; the mean over four intervals is 1 s and no gap reaches 2 s.
        for (int i = 1; i < 5; i++) {
            long gap = Duration.between(Instant.parse(parsed.get(i - 1).get("timestamp").asText()),
                    Instant.parse(parsed.get(i).get("timestamp").asText())).toMillis();
            assertTrue(gap > 0 && gap < 2000, "samples " + (i - 1) + " and " + i + " are " + gap + " ms apart");
            assertEquals(parsed.get(i - 1).get("sequence").asLong() + 1, parsed.get(i).get("sequence").asLong());
        }
        long span = Duration.between(Instant.parse(parsed.get(0).get("timestamp").asText()),
                Instant.parse(parsed.get(4).get("timestamp").asText())).toMillis();
        assertTrue(span >= 3600 && span <= 4400, "five samples span " + span + " ms, not 4 intervals of 1 s");
        JsonNode last = parsed.get(4);
        assertEquals(1, last.get("schema").asInt());
        assertEquals(DEVICE, last.get("device").asText());
        JsonNode m = last.get("metrics");
        Map<String, List<String>> expected = Map.of(
                "engine.sendfile", List.of("bytes:B", "throughput:B/s", "cpu_copied_bytes:B"),
                "engine.fman", List.of("bytes:B", "throughput:B/s", "cpu_copied_bytes:B"),
                "frame_manager", List.of("frames:", "sg_entries:", "dma_errors:", "rejections:", "ring_full_events:"),
                "http", List.of("requests_per_second:1/s", "active_connections:", "client_errors:", "server_errors:",
                        "connection_errors:"),
                "system", List.of("cpu_load:%", "heap_used:B", "heap_max:B", "rss:B", "uptime:s", "version:", "board:",
                        "hal_backend:"),
                "share.files", List.of("capacity:B", "free:B", "used_percent:%"),
                "board", List.of("soc_temperature:°C"),
                "nic.eth0", List.of("rx_bytes:B", "tx_bytes:B", "rx_packets:", "tx_packets:", "rx_errors:", "tx_errors:",
                        "rx_dropped:", "tx_dropped:"),
                "telemetry", List.of("buffered:", "dropped:", "delivered:"));
        for (var group : expected.entrySet()) {
            for (String field : group.getValue()) {
                String name = field.substring(0, field.indexOf(':'));
                String unit = field.substring(field.indexOf(':') + 1);
                JsonNode value = m.path(group.getKey()).path(name);
                assertFalse(value.path("value").isMissingNode(), group.getKey() + "/" + name + " missing in " + m);
                assertEquals(unit, value.path("unit").asText(""), group.getKey() + "/" + name + " unit");
            }
        }
        // The scripted engine sends 120 MiB per sample, one sample a second.
        double fman = m.get("engine.fman").get("throughput").get("value").asDouble();
        assertTrue(Math.abs(fman - ScriptedProviders.FMAN_STEP) < ScriptedProviders.FMAN_STEP * 0.25, "fman throughput " + fman);
        assertEquals(ScriptedProviders.SOC_TEMPERATURE, m.get("board").get("soc_temperature").get("value").asDouble());
        assertEquals(ScriptedProviders.BOARD, m.get("system").get("board").get("value").asText());
        assertEquals(ScriptedProviders.HAL_BACKEND, m.get("system").get("hal_backend").get("value").asText());
        assertTrue(m.get("system").get("rss").get("value").asLong() > 1 << 20, "RSS is read from /proc/self/status");
        assertTrue(m.get("share.files").get("capacity").get("value").asLong() > 0);
    }

    @Test
    void httpErrorsAreCountedByClass() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(appliance.httpUrl() + "files/none.txt"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
        operator.await(r -> r.topic().equals(BASE + "/telemetry") && clientErrors(r) >= 1, 10, TimeUnit.SECONDS);
    }

    @Test
    void discoveryCarriesEveryFieldHomeAssistantRequiresAndIsRepublishedWhenItComesOnline() throws Exception {
        JsonNode sample = JSON.readTree(operator.awaitCount(BASE + "/telemetry", 2, 20, TimeUnit.SECONDS).get(1).payload());
        List<String> expectedTopics = new ArrayList<>();
        sample.get("metrics").properties().forEach(group -> group.getValue().properties().forEach(metric ->
                expectedTopics.add("homeassistant/sensor/" + DEVICE + "/" + (group.getKey() + "_" + metric.getKey())
                        .replaceAll("[^A-Za-z0-9_-]", "_") + "/config")));
        assertTrue(expectedTopics.size() > 40, "sensors: " + expectedTopics.size());
        for (String topic : expectedTopics) {
            JsonNode config = JSON.readTree(operator.await(r -> r.topic().equals(topic), 10, TimeUnit.SECONDS).payload());
            for (String required : List.of("name", "unique_id", "state_topic", "value_template", "availability_topic",
                    "payload_available", "payload_not_available", "device", "origin")) {
                assertTrue(config.hasNonNull(required), topic + " lacks " + required + ": " + config);
            }
            assertEquals(BASE + "/telemetry", config.get("state_topic").asText());
            assertEquals(BASE + "/availability", config.get("availability_topic").asText());
            assertTrue(config.get("device").get("identifiers").get(0).asText().contains(DEVICE));
            assertTrue(config.get("device").hasNonNull("name"));
            assertTrue(config.get("value_template").asText().startsWith("{{ value_json.metrics["));
        }
        JsonNode temperature = JSON.readTree(operator.on("homeassistant/sensor/" + DEVICE + "/board_soc_temperature/config")
                .getFirst().payload());
        assertEquals("°C", temperature.get("unit_of_measurement").asText());
        assertEquals("temperature", temperature.get("device_class").asText());
        assertEquals("measurement", temperature.get("state_class").asText());

        // Retained for a Home Assistant that starts later; sent again when Home Assistant announces itself.
        String cpuTopic = "homeassistant/sensor/" + DEVICE + "/system_cpu_load/config";
        try (MqttRecorder later = new MqttRecorder(broker.url(), "home-assistant", false, cpuTopic)) {
            assertTrue(later.await(r -> true, 10, TimeUnit.SECONDS).retained());
            later.publish("homeassistant/status", "online", false);
            later.await(r -> !r.retained(), 10, TimeUnit.SECONDS);
        }
    }

    @Test
    void eventsArriveAndAuthenticationFailuresAreRateLimited() throws Exception {
        var events = appliance.telemetry().events();
        events.upload("files", "/reports/q3.pdf", 1234567);
        events.engineFallback("fman", "sendfile", "frame manager ring full for 200 ms");
        for (int i = 0; i < 12; i++) {
            events.authFailure("mallory", "192.0.2.7");
        }
        JsonNode upload = JSON.readTree(operator.await(r -> r.topic().equals(BASE + "/events/upload"), 10, TimeUnit.SECONDS)
                .payload());
        assertEquals("upload", upload.get("type").asText());
        assertEquals("/reports/q3.pdf", upload.get("path").asText());
        assertEquals(1234567, upload.get("bytes").asLong());
        assertTrue(upload.hasNonNull("timestamp"));
        JsonNode fallback = JSON.readTree(operator.await(r -> r.topic().equals(BASE + "/events/engine_fallback"), 10,
                TimeUnit.SECONDS).payload());
        assertEquals("frame manager ring full for 200 ms", fallback.get("reason").asText());
        operator.awaitCount(BASE + "/events/auth_failure", 5, 10, TimeUnit.SECONDS);
        Thread.sleep(1_000);
        assertEquals(5, operator.on(BASE + "/events/auth_failure").size(), "12 failures within a minute: 5 sent, 7 held back");
    }

    private static long clientErrors(MqttRecorder.Received r) {
        try {
            return JSON.readTree(r.payload()).get("metrics").get("http").get("client_errors").get("value").asLong();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
