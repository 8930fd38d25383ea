// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The MQTT telemetry service (docs/telemetry.md). Without {@code broker}, the appliance starts its own
 * embedded broker; every other setting has a default in code.
 *
 * @param enabled                  whether telemetry runs at all (default true)
 * @param broker                   external broker URL ({@code tcp://}, {@code ssl://}, {@code ws://}, {@code wss://});
 *                                 absent starts the embedded broker
 * @param username                 user name at the broker; absent connects anonymously
 * @param password                 password at the broker, with {@code username}
 * @param caFile                   PEM file of the CA(s) that sign the broker's TLS certificate; absent uses the JVM's
 *                                 trust store
 * @param deviceId                 this appliance's name in topics: letters, digits, '_' and '-' (default: host name)
 * @param clientId                 MQTT client id (default {@code layerstore-<deviceId>})
 * @param topicPrefix              first topic level(s) (default {@value #DEFAULT_TOPIC_PREFIX})
 * @param intervalSeconds          seconds between telemetry samples (default {@value #DEFAULT_INTERVAL_SECONDS})
 * @param bufferSize               messages kept while the broker is unreachable; the oldest is dropped (and counted)
 *                                 beyond it (default {@value #DEFAULT_BUFFER_SIZE})
 * @param reconnectMaxDelaySeconds upper bound of the reconnect back-off (default
 *                                 {@value #DEFAULT_RECONNECT_MAX_DELAY_SECONDS})
 * @param discoveryPrefix          Home Assistant's discovery prefix (default {@value #DEFAULT_DISCOVERY_PREFIX})
 * @param dashboardBroker          the WebSocket URL the dashboard's browser connects to; default: the embedded
 *                                 broker's, or {@code broker} when that is a ws:// or wss:// URL
 * @param embedded                 the embedded broker's listeners
 */
public record MqttSettings(Boolean enabled, String broker, String username, String password, Path caFile,
        String deviceId, String clientId, String topicPrefix, Integer intervalSeconds, Integer bufferSize,
        Integer reconnectMaxDelaySeconds, String discoveryPrefix, String dashboardBroker,
        EmbeddedBrokerSettings embedded) {

    public static final String DEFAULT_TOPIC_PREFIX = "layerstore";
    public static final int DEFAULT_INTERVAL_SECONDS = 10;
    public static final int DEFAULT_BUFFER_SIZE = 10_000;
    public static final int DEFAULT_RECONNECT_MAX_DELAY_SECONDS = 30;
    public static final String DEFAULT_DISCOVERY_PREFIX = "homeassistant";
    private static final Set<String> SCHEMES = Set.of("tcp", "ssl", "ws", "wss");
    private static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern TOPIC_PREFIX = Pattern.compile("[^#+\\u0000]+");

    public MqttSettings {
        enabled = enabled == null || enabled;
        broker = blankToNull(broker);
        if (broker != null) {
            checkBrokerUrl("mqtt.broker", broker);
        }
        dashboardBroker = blankToNull(dashboardBroker);
        if (dashboardBroker != null && !dashboardBroker.startsWith("ws://") && !dashboardBroker.startsWith("wss://")) {
            throw new ConfigException("mqtt.dashboardBroker must be a ws:// or wss:// URL, got '" + dashboardBroker + "'");
        }
        if (password != null && username == null) {
            throw new ConfigException("mqtt.password is set without mqtt.username");
        }
        deviceId = deviceId == null ? defaultDeviceId() : deviceId;
        if (!DEVICE_ID.matcher(deviceId).matches()) {
            throw new ConfigException("mqtt.deviceId '" + deviceId + "' must be 1-64 letters, digits, '_' or '-'");
        }
        clientId = clientId == null ? "layerstore-" + deviceId : clientId;
        topicPrefix = topicPrefix == null ? DEFAULT_TOPIC_PREFIX : topicPrefix;
        if (!TOPIC_PREFIX.matcher(topicPrefix).matches() || topicPrefix.startsWith("/") || topicPrefix.endsWith("/")) {
            throw new ConfigException("mqtt.topicPrefix '" + topicPrefix
                    + "' must be a topic without wildcards (#, +) and without a leading or trailing '/'");
        }
        intervalSeconds = positive("mqtt.intervalSeconds", intervalSeconds, DEFAULT_INTERVAL_SECONDS);
        bufferSize = positive("mqtt.bufferSize", bufferSize, DEFAULT_BUFFER_SIZE);
        reconnectMaxDelaySeconds = positive("mqtt.reconnectMaxDelaySeconds", reconnectMaxDelaySeconds,
                DEFAULT_RECONNECT_MAX_DELAY_SECONDS);
        discoveryPrefix = discoveryPrefix == null ? DEFAULT_DISCOVERY_PREFIX : discoveryPrefix;
        embedded = embedded == null ? EmbeddedBrokerSettings.defaults() : embedded;
    }

    public static MqttSettings defaults() {
        return new MqttSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether the appliance must start its own broker. */
    public boolean usesEmbeddedBroker() {
        return enabled && broker == null;
    }

    public MqttSettings withBroker(String url) {
        return new MqttSettings(enabled, url, username, password, caFile, deviceId, clientId, topicPrefix,
                intervalSeconds, bufferSize, reconnectMaxDelaySeconds, discoveryPrefix, dashboardBroker, embedded);
    }

    public MqttSettings withEmbedded(EmbeddedBrokerSettings newEmbedded) {
        return new MqttSettings(enabled, broker, username, password, caFile, deviceId, clientId, topicPrefix,
                intervalSeconds, bufferSize, reconnectMaxDelaySeconds, discoveryPrefix, dashboardBroker, newEmbedded);
    }

    /** Checks an MQTT broker URL: scheme tcp, ssl, ws or wss, and a host. */
    public static void checkBrokerUrl(String setting, String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!SCHEMES.contains(scheme) || uri.getHost() == null) {
                throw new ConfigException(setting + " must be tcp://HOST[:PORT], ssl://HOST[:PORT], ws://HOST[:PORT]/PATH or "
                        + "wss://HOST[:PORT]/PATH, got '" + url + "'");
            }
        } catch (URISyntaxException e) {
            throw new ConfigException(setting + " is not a URL: " + e.getMessage(), e);
        }
    }

    private static int positive(String setting, Integer value, int fallback) {
        int v = value == null ? fallback : value;
        if (v < 1) {
            throw new ConfigException(setting + " must be at least 1, got " + v);
        }
        return v;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** The host name, reduced to the characters a topic level and a Home Assistant id accept. */
    static String defaultDeviceId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = System.getenv().getOrDefault("HOSTNAME", "appliance");
        }
        String cleaned = host.split("\\.")[0].replaceAll("[^A-Za-z0-9_-]", "-");
        return cleaned.isEmpty() ? "appliance" : cleaned.substring(0, Math.min(64, cleaned.length()));
    }
}
