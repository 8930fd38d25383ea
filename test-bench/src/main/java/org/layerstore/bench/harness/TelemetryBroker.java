// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The Mosquitto the appliance variants publish their telemetry to, as the installed appliance publishes
 * to the image's Mosquitto: the broker is a service of its own there, so its CPU is not the file
 * server's, and the appliance is measured with telemetry on, as it runs. Started by the harness with its
 * own configuration on a free loopback port, anonymous, no persistence.
 */
final class TelemetryBroker implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private TelemetryBroker(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static TelemetryBroker start(Path dir) throws IOException, InterruptedException {
        Path mosquitto = Tools.require("mosquitto", "apt-get install mosquitto");
        Files.createDirectories(dir);
        int port = LoopbackPorts.free();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, """
                # Written by the Layerstore benchmark harness: where the appliance variants publish telemetry.
                %sallow_anonymous true
                persistence false
                log_dest file %s
                listener %d 127.0.0.1
                """.formatted("root".equals(System.getProperty("user.name")) ? "user root\n" : "", dir.resolve("mosquitto.log"),
                port));
        ManagedProcess process = ManagedProcess.start("mosquitto",
                new ProcessBuilder(mosquitto.toString(), "-c", config.toString()));
        if (!LoopbackPorts.awaitAccepting(port, process.handle(), Duration.ofSeconds(20))) {
            process.close();
            throw new IOException("mosquitto did not start listening on 127.0.0.1:" + port + ": " + String.join("\n", process.output()));
        }
        return new TelemetryBroker(process, port);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.close();
    }
}
