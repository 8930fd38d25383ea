// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
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
 * Mosquitto is stopped for 30 s while the appliance samples every second, then started again on the same
 * port. The samples taken meanwhile wait in the offline buffer and reach a persistent subscriber after the
 * reconnect: every sequence number arrives. With a buffer smaller than the outage, the oldest samples are
 * the ones dropped, and the telemetry says how many.
 */
class BrokerOutageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOPIC = "lab/outage/telemetry";

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aThirtySecondOutageLosesNoSampleWithinTheBufferBound() throws Exception {
        List<Long> sequences = runOutage(1000, 30);
        long first = sequences.getFirst();
        long last = sequences.getLast();
        assertTrue(last - first >= 35, "samples span the outage: " + first + ".." + last);
        TreeSet<Long> distinct = new TreeSet<>(sequences);
        for (long s = first; s <= last; s++) {
            assertTrue(distinct.contains(s), "sample " + s + " was lost; received " + distinct);
        }
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void beyondTheBoundTheOldestSamplesAreDroppedAndCounted() throws Exception {
        List<Long> sequences = runOutage(5, 12);
        TreeSet<Long> distinct = new TreeSet<>(sequences);
        long missing = distinct.last() - distinct.first() + 1 - distinct.size();
        assertTrue(missing >= 3, "a 12 s outage with room for 5 messages must drop samples; received " + distinct);
        // The gap is at the start of the outage (oldest dropped), the newest samples before the reconnect survive.
        long lastBeforeGap = distinct.first();
        while (distinct.contains(lastBeforeGap + 1)) {
            lastBeforeGap++;
        }
        long firstAfterGap = distinct.higher(lastBeforeGap);
        assertEquals(missing, firstAfterGap - lastBeforeGap - 1, "one contiguous gap: " + distinct);
        assertTrue(lastDropped >= missing, "telemetry.dropped " + lastDropped + " counts the " + missing + " lost samples");
    }

    private long lastDropped;

    /** Runs the appliance against Mosquitto, stops the broker for {@code outageSeconds}, returns the sequences received. */
    private List<Long> runOutage(int bufferSize, int outageSeconds) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")))) {
            MqttSettings mqtt = new MqttSettings(true, broker.url(), MosquittoBroker.USER, MosquittoBroker.PASSWORD, null,
                    "outage", null, "lab", 1, bufferSize, 2, null, null, null);
            ApplianceConfig config = new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null,
                    List.of(new ShareSettings("files", share, true).withAnonymous(ShareSettings.ANONYMOUS_READ)), mqtt);
            try (MqttRecorder operator = new MqttRecorder(broker.url(), "operator-" + bufferSize, true, TOPIC);
                    Appliance appliance = Appliance.start(config)) {
                assertEquals(broker.url(), appliance.telemetry().brokerUrl().orElseThrow());
                int before = operator.awaitCount(TOPIC, 3, 30, TimeUnit.SECONDS).size();
                broker.stop();
                Thread.sleep(TimeUnit.SECONDS.toMillis(outageSeconds));
                broker.startProcess();
                long restarted = System.nanoTime();
                MqttRecorder.Received firstAfter = operator.await(r -> r.atNanos() > restarted, 30, TimeUnit.SECONDS);
                long reconnectMillis = (firstAfter.atNanos() - restarted) / 1_000_000;
                assertTrue(reconnectMillis < 8_000, "back-off is bounded by 2 s, yet the first message after the restart "
                        + "took " + reconnectMillis + " ms");
                // After the reconnect, the backlog plus a few fresh samples.
                operator.awaitCount(TOPIC, before + Math.min(outageSeconds, bufferSize) + 3, 60, TimeUnit.SECONDS);
                Thread.sleep(2_000);
                List<Long> sequences = operator.on(TOPIC).stream().map(r -> field(r.payload(), "sequence")).toList();
                JsonNode lastSample = JSON.readTree(operator.on(TOPIC).getLast().payload());
                lastDropped = lastSample.get("metrics").get("telemetry").get("dropped").get("value").asLong();
                return sequences;
            }
        }
    }

    private static long field(String payload, String name) {
        try {
            return JSON.readTree(payload).get(name).asLong();
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + payload, e);
        }
    }
}
