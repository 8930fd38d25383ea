// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.dashboard;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.layerstore.services.http.Application;
import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.RequestPath;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Serves the monitoring dashboard under {@value #PREFIX}, beside the shares and behind the same users:
 * the page, its scripts, {@code config.json}, and at {@value #MQTT_PATH} the MQTT-over-WebSocket relay
 * to the embedded broker (so the page's broker is on its own origin, TLS included).
 */
public final class DashboardRoute implements Application {

    public static final String PREFIX = "/_dashboard/";
    /** Where the page connects for MQTT over WebSocket (ws:// or wss:// on the page's own origin). */
    public static final String MQTT_PATH = PREFIX + "mqtt";

    private final Supplier<byte[]> configJson;
    private final Supplier<InetSocketAddress> brokerWebSocket;

    /**
     * @param configJson      the broker settings the page reads from {@code config.json}; null while telemetry
     *                        is still starting (the file server listens first), answered 503 with Retry-After
     * @param brokerWebSocket the embedded broker's WebSocket listener; null while telemetry starts, or without
     *                        the embedded broker
     */
    public DashboardRoute(Supplier<byte[]> configJson, Supplier<InetSocketAddress> brokerWebSocket) {
        this.configJson = configJson;
        this.brokerWebSocket = brokerWebSocket;
    }

    @Override
    public String segment() {
        return PREFIX.substring(1, PREFIX.length() - 1);
    }

    @Override
    public void serve(Exchange ex, RequestPath path) {
        List<String> below = path.segments().subList(1, path.segments().size());
        String relative = String.join("/", below);
        if (relative.equals("mqtt")) {
            MqttWebSocketRelay.upgrade(ex, brokerWebSocket.get());
            return;
        }
        HttpMethod method = ex.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            ex.extraHeader(HttpHeaderNames.ALLOW, "GET, HEAD");
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        if (below.isEmpty() && !path.trailingSlash()) {
            ex.extraHeader(HttpHeaderNames.LOCATION, PREFIX);
            ex.text(HttpResponseStatus.MOVED_PERMANENTLY, "moved to " + PREFIX + "\n");
            return;
        }
        ex.extraHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        if (relative.equals("config.json")) {
            byte[] config = configJson.get();
            if (config == null) {
                ex.extraHeader(HttpHeaderNames.RETRY_AFTER, "1");
                ex.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "telemetry is starting\n");
            } else {
                ex.full(HttpResponseStatus.OK, "application/json", config);
            }
            return;
        }
        Optional<DashboardAssets.Asset> asset = DashboardAssets.find(relative);
        if (asset.isPresent()) {
            ex.full(HttpResponseStatus.OK, asset.get().contentType(), asset.get().bytes());
        } else {
            ex.text(HttpResponseStatus.NOT_FOUND, "not found\n");
        }
    }
}
