// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The appliance as installed runs it (the launcher, a YAML configuration, {@code --mqtt}) is killed with
 * SIGKILL: no shutdown code runs, and the broker must publish the will, a retained {@code offline}.
 */
class WillOnKillTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void killMinusNineLeavesARetainedOfflineFromTheWill() throws Exception {
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")))) {
            Path share = Files.createDirectories(dir.resolve("share"));
            Path config = dir.resolve("layerstore.yaml");
            Files.writeString(config, """
                    mqtt:
                      username: %s
                      password: %s
                      deviceId: kill-test
                      topicPrefix: plant/storage
                      intervalSeconds: 1
                    """.formatted(MosquittoBroker.USER, MosquittoBroker.PASSWORD));
            String availability = "plant/storage/kill-test/availability";
            try (MqttRecorder operator = new MqttRecorder(broker.url(), "operator", false, "plant/storage/kill-test/#")) {
                Path repo = Path.of(System.getProperty("layerstore.repo"));
                ProcessBuilder pb = new ProcessBuilder(repo.resolve("layerstore").toString(), "serve", "-c", config.toString(),
                        "--root", share.toString(), "--bind", "127.0.0.1", "--port", "0", "--mqtt", broker.url())
                        .redirectErrorStream(true).redirectOutput(dir.resolve("appliance.log").toFile());
                pb.environment().put("LAYERSTORE_NO_BUILD", "1");
                Process appliance = pb.start();
                try {
                    operator.await(r -> r.topic().equals(availability) && r.payload().equals("online"), 60, TimeUnit.SECONDS);
                    operator.await(r -> r.topic().equals("plant/storage/kill-test/telemetry"), 10, TimeUnit.SECONDS);

                    appliance.destroyForcibly(); // SIGKILL on Linux
                    assertTrue(appliance.waitFor(10, TimeUnit.SECONDS));
                    assertEquals(137, appliance.exitValue(), "killed by signal 9");

                    operator.await(r -> r.topic().equals(availability) && r.payload().equals("offline"), 30, TimeUnit.SECONDS);
                } finally {
                    appliance.destroyForcibly();
                }
                try (MqttRecorder later = new MqttRecorder(broker.url(), "later", false, availability)) {
                    MqttRecorder.Received retained = later.await(r -> true, 10, TimeUnit.SECONDS);
                    assertEquals("offline", retained.payload());
                    assertTrue(retained.retained());
                }
            }
        }
    }
}
