// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.dashboard;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.layerstore.services.http.ByteRelay;
import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.ProtocolHandover;
import org.layerstore.services.telemetry.broker.EmbeddedBroker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The dashboard's MQTT over WebSocket on the HTTP server's own port and TLS: a signed-in upgrade request
 * (RFC 6455 section 4.1) is passed on to the embedded broker's loopback WebSocket listener, which answers
 * it and speaks WebSocket and MQTT itself, and from then on the connection's bytes are relayed both ways.
 * The credentials stay here: the broker never sees the Authorization header.
 */
final class MqttWebSocketRelay {

    private static final Logger LOG = LoggerFactory.getLogger(MqttWebSocketRelay.class);
    /** Headers that are this server's business, not the broker's. */
    private static final Set<String> NOT_PASSED_ON = Set.of("authorization", "cookie");

    private MqttWebSocketRelay() {
    }

    static void upgrade(Exchange ex, InetSocketAddress broker) {
        HttpRequest request = ex.request;
        String upgrade = request.headers().get(HttpHeaderNames.UPGRADE);
        if (!request.method().equals(HttpMethod.GET) || upgrade == null
                || !upgrade.equalsIgnoreCase(HttpHeaderValues.WEBSOCKET.toString())) {
            ex.extraHeader(HttpHeaderNames.UPGRADE, "websocket");
            ex.extraHeader(HttpHeaderNames.CONNECTION, "Upgrade");
            ex.text(HttpResponseStatus.UPGRADE_REQUIRED, "MQTT over WebSocket: send a WebSocket upgrade (GET)\n");
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !sameOrigin(origin, request.headers().get(HttpHeaderNames.HOST))) {
            // Browsers send stored credentials with cross-origin WebSocket handshakes too (RFC 6455 section
            // 10.2): only the dashboard's own pages may use them.
            LOG.warn("refusing the dashboard's MQTT WebSocket from origin {} for {}", origin, ex.ctx.channel().remoteAddress());
            ex.text(HttpResponseStatus.FORBIDDEN, "cross-origin WebSocket refused\n");
            return;
        }
        if (broker == null) {
            ex.extraHeader(HttpHeaderNames.RETRY_AFTER, "1");
            ex.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "no embedded MQTT broker is running here\n");
            return;
        }
        ProtocolHandover.handOver(ex, new ByteRelay(broker, brokerRequest(request)));
    }

    /** Whether an Origin header ({@code scheme://host[:port]}) names the host the request was sent to. */
    static boolean sameOrigin(String origin, String host) {
        int scheme = origin.indexOf("://");
        return host != null && scheme > 0 && origin.substring(scheme + 3).equalsIgnoreCase(host);
    }

    /**
     * The upgrade request as the broker gets it: its own WebSocket path, the client's headers but the
     * credentials. Header values are sent back in ISO-8859-1, the charset the HTTP decoder read them in.
     */
    static byte[] brokerRequest(HttpRequest request) {
        StringBuilder head = new StringBuilder("GET ").append(EmbeddedBroker.WEBSOCKET_PATH).append(" HTTP/1.1\r\n");
        for (Map.Entry<String, String> header : request.headers()) {
            if (!NOT_PASSED_ON.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                head.append(header.getKey()).append(": ").append(header.getValue()).append("\r\n");
            }
        }
        return head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
