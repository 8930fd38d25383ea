// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.broker;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.hivemq.embedded.EmbeddedHiveMQ;

/**
 * The zero-configuration MQTT broker (HiveMQ Community Edition, embedded): MQTT 5 and 3.1.1 on a TCP
 * listener, and MQTT over WebSocket on {@value #WEBSOCKET_PATH} for the dashboard. Sessions and retained
 * messages are kept in memory only: the appliance republishes its retained state on every connect.
 * It lets any client connect, so the appliance binds it to loopback unless told otherwise (and never
 * beyond loopback when users are configured); browsers reach it through the HTTP server's relay.
 * HiveMQ's anonymous usage statistics are switched off: an appliance never phones home.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);
    public static final String WEBSOCKET_PATH = "/mqtt";

    private final EmbeddedHiveMQ hivemq;
    private final Path home;
    private final String bind;
    private final int port;
    private final int websocketPort;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, Path home, String bind, int port, int websocketPort) {
        this.hivemq = hivemq;
        this.home = home;
        this.bind = bind;
        this.port = port;
        this.websocketPort = websocketPort;
    }

    /**
     * Starts the broker and returns once both listeners accept connections.
     *
     * @param bind          listen address of both listeners
     * @param port          MQTT TCP port; 0 picks a free one
     * @param websocketPort MQTT-over-WebSocket port; 0 picks a free one
     */
    public static EmbeddedBroker start(String bind, int port, int websocketPort) throws IOException {
        int tcp = port == 0 ? freePort(bind) : ensureFree(bind, port, "mqtt.embedded.port");
        int ws = websocketPort == 0 ? freePort(bind) : ensureFree(bind, websocketPort, "mqtt.embedded.websocketPort");
        Path home = Files.createTempDirectory("layerstore-broker-");
        Path config = Files.createDirectories(home.resolve("conf"));
        Files.writeString(config.resolve("config.xml"), configXml(bind, tcp, ws), StandardCharsets.UTF_8);
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hivemq, home);
            throw new IOException("interrupted while starting the embedded MQTT broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hivemq, home);
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new IOException("cannot start the embedded MQTT broker on " + bind + " ports " + tcp + " (MQTT) and "
                    + ws + " (WebSocket): " + cause, cause);
        }
        LOG.info("embedded MQTT broker listening on {}:{} (MQTT 5/3.1.1) and {}:{}{} (WebSocket)", bind, tcp, bind, ws,
                WEBSOCKET_PATH);
        return new EmbeddedBroker(hivemq, home, bind, tcp, ws);
    }

    static String configXml(String bind, int port, int websocketPort) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                    </tcp-listener>
                    <websocket-listener>
                      <port>%d</port>
                      <bind-address>%s</bind-address>
                      <path>%s</path>
                      <subprotocols>
                        <subprotocol>mqttv3.1</subprotocol>
                        <subprotocol>mqtt</subprotocol>
                      </subprotocols>
                      <allow-extensions>true</allow-extensions>
                    </websocket-listener>
                  </listeners>
                  <persistence>
                    <mode>in-memory</mode>
                  </persistence>
                  <anonymous-usage-statistics>
                    <enabled>false</enabled>
                  </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, bind, websocketPort, bind, WEBSOCKET_PATH);
    }

    /** The URL the appliance's own MQTT client uses. */
    public String mqttUrl() {
        return "tcp://" + clientHost() + ":" + port;
    }

    public int websocketPort() {
        return websocketPort;
    }

    /** Where the WebSocket listener is reached from this host: the dashboard's relay connects there. */
    public InetSocketAddress websocketAddress() {
        return new InetSocketAddress(clientHost(), websocketPort);
    }

    /** The wildcard address is reached over loopback by local clients. */
    private String clientHost() {
        return bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
    }

    /**
     * HiveMQ logs a listener it cannot bind and starts anyway, so a port in use (another broker, often) is
     * found here, before starting it, and reported as the error it is.
     */
    private static int ensureFree(String bind, int port, String setting) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(bind, port));
            return port;
        } catch (IOException e) {
            throw new IOException("cannot start the embedded MQTT broker: " + bind + ":" + port + " is in use (" + setting
                    + "); if another MQTT broker runs there, point the appliance at it with --mqtt or mqtt.broker", e);
        }
    }

    private static int freePort(String bind) throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(bind, 0));
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        closeQuietly(hivemq, home);
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq, Path home) {
        try {
            hivemq.stop().get(10, TimeUnit.SECONDS);
            hivemq.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("the embedded MQTT broker did not stop cleanly: {}", e.toString());
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", home, e.toString());
        }
    }
}
