// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The embedded MQTT broker's listeners, used only when {@code mqtt.broker} is absent.
 *
 * @param bind          listen address of both listeners (default {@value #DEFAULT_BIND}: the broker lets any
 *                      client in, so it is reached from the network only where nobody signs in, through
 *                      the HTTP server's relay at {@code /_dashboard/mqtt} otherwise)
 * @param port          MQTT port; 0 picks a free one (default {@value #DEFAULT_PORT})
 * @param websocketPort MQTT-over-WebSocket port for the dashboard; 0 picks a free one
 *                      (default {@value #DEFAULT_WEBSOCKET_PORT})
 */
public record EmbeddedBrokerSettings(String bind, Integer port, Integer websocketPort) {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 1883;
    public static final int DEFAULT_WEBSOCKET_PORT = 8083;

    public EmbeddedBrokerSettings {
        bind = bind == null ? DEFAULT_BIND : bind;
        port = port == null ? DEFAULT_PORT : port;
        websocketPort = websocketPort == null ? DEFAULT_WEBSOCKET_PORT : websocketPort;
        checkPort("mqtt.embedded.port", port);
        checkPort("mqtt.embedded.websocketPort", websocketPort);
    }

    public static EmbeddedBrokerSettings defaults() {
        return new EmbeddedBrokerSettings(null, null, null);
    }

    public EmbeddedBrokerSettings withBind(String newBind) {
        return new EmbeddedBrokerSettings(newBind, port, websocketPort);
    }

    public EmbeddedBrokerSettings withPorts(int newPort, int newWebsocketPort) {
        return new EmbeddedBrokerSettings(bind, newPort, newWebsocketPort);
    }

    /** Whether only this host can reach the listeners. */
    public boolean loopbackOnly() {
        try {
            return InetAddress.getByName(bind).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("mqtt.embedded.bind: unknown address '" + bind + "'", e);
        }
    }

    private static void checkPort(String setting, int value) {
        if (value < 0 || value > 65535) {
            throw new ConfigException(setting + " must be 0-65535, got " + value);
        }
    }
}
