// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the page served by the appliance learns from {@code /_dashboard/config.json}: where the broker's
 * WebSocket is and which device to show. The page works without it too (opened on its own, it takes
 * the same settings from its URL or its connection form).
 *
 * @param brokerUrl     the full ws:// or wss:// URL, or null when the page should use {@code websocketPath}
 * @param websocketPath the path of the embedded broker's WebSocket relay on the page's own origin (same host,
 *                      port and TLS: ws:// under http, wss:// under https), or null without the embedded broker
 * @param topicPrefix   the telemetry topic prefix
 * @param deviceId      this appliance's device id
 */
public record DashboardConfig(String brokerUrl, String websocketPath, String topicPrefix, String deviceId) {

    public byte[] toJson() {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode node = json.createObjectNode();
        node.put("brokerUrl", brokerUrl);
        node.put("websocketPath", websocketPath);
        node.put("topicPrefix", topicPrefix);
        node.put("deviceId", deviceId);
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the dashboard configuration", e);
        }
    }
}
