// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.publish;

/**
 * The topic tree of one appliance, {@code <prefix>/<device-id>/...}, and its Home Assistant discovery
 * topics. docs/telemetry.md is the reference; change both together.
 */
public record TelemetryTopics(String prefix, String deviceId, String discoveryPrefix) {

    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    public String base() {
        return prefix + "/" + deviceId;
    }

    /** Retained {@value #ONLINE} or {@value #OFFLINE} (the latter from the will). */
    public String availability() {
        return base() + "/availability";
    }

    /** One JSON sample per interval. */
    public String telemetry() {
        return base() + "/telemetry";
    }

    /** One JSON object per event, {@code events/<type>}. */
    public String event(String type) {
        return base() + "/events/" + type;
    }

    /** Where Home Assistant says {@code online} when it (re)starts. */
    public String homeAssistantStatus() {
        return discoveryPrefix + "/status";
    }

    /** Retained discovery config of one sensor. */
    public String discoveryConfig(String objectId) {
        return discoveryPrefix + "/sensor/" + deviceId + "/" + objectId + "/config";
    }
}
