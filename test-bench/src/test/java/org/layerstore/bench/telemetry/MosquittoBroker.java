// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker for the tests: its own config file, password file and persistence folder in a
 * temp dir, listening on free loopback ports (MQTT, and MQTT over WebSocket). It can be stopped and started
 * again on the same ports; persistence keeps retained messages and persistent sessions across that, as a
 * production broker's would.
 */
final class MosquittoBroker implements AutoCloseable {

    static final String USER = "appliance";
    static final String PASSWORD = "s3cret-telemetry";

    private final Path dir;
    private final Path config;
    private final int port;
    private final int websocketPort;
    private final int tlsPort;
    private Process process;

    private MosquittoBroker(Path dir, Path config, int port, int websocketPort, int tlsPort) {
        this.dir = dir;
        this.config = config;
        this.port = port;
        this.websocketPort = websocketPort;
        this.tlsPort = tlsPort;
    }

    /** Starts Mosquitto with password authentication (user {@value #USER}) and returns once it accepts connections. */
    static MosquittoBroker start(Path dir) throws IOException, InterruptedException {
        return start(dir, null);
    }

    /** As {@link #start(Path)}, plus a TLS listener serving the certificate of {@code certificates}. */
    static MosquittoBroker start(Path dir, TestCertificates certificates) throws IOException, InterruptedException {
        Path passwords = dir.resolve("passwords");
        Files.createDirectories(dir.resolve("db"));
        run("mosquitto_passwd", "-b", "-c", passwords.toString(), USER, PASSWORD);
        int port = freePort();
        int websocketPort = freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, """
                # Written by the Layerstore telemetry tests.
                user root
                per_listener_settings false
                allow_anonymous false
                password_file %s
                persistence true
                persistence_location %s/
                log_dest file %s
                log_type error
                log_type warning
                log_type notice
                listener %d 127.0.0.1
                listener %d 127.0.0.1
                protocol websockets
                """.formatted(passwords, dir.resolve("db"), dir.resolve("mosquitto.log"), port, websocketPort));
        int tlsPort = 0;
        if (certificates != null) {
            tlsPort = freePort();
            Files.writeString(config, String.join("\n", "listener " + tlsPort + " 127.0.0.1",
                    "cafile " + certificates.caCertificate(), "certfile " + certificates.serverCertificate(),
                    "keyfile " + certificates.serverKey(), ""), StandardOpenOption.APPEND);
        }
        MosquittoBroker broker = new MosquittoBroker(dir, config, port, websocketPort, tlsPort);
        broker.startProcess();
        return broker;
    }

    void startProcess() throws IOException, InterruptedException {
        process = new ProcessBuilder("mosquitto", "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("mosquitto exited with " + process.exitValue() + ": "
                        + Files.readString(dir.resolve("mosquitto.out")) + log());
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("mosquitto did not listen on port " + port + " within 20 s: " + log());
    }

    /** Stops the broker the way an operator does (SIGTERM), which saves its persistence file. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String tlsUrl() {
        return "ssl://127.0.0.1:" + tlsPort;
    }

    String websocketUrl() {
        return "ws://127.0.0.1:" + websocketPort + "/";
    }

    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        stop();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
