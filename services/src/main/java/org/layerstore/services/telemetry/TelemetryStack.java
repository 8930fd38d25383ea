// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.layerstore.services.ApplianceVersion;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.http.HttpStats;
import org.layerstore.services.telemetry.broker.EmbeddedBroker;
import org.layerstore.services.telemetry.dashboard.DashboardConfig;
import org.layerstore.services.telemetry.dashboard.DashboardRoute;
import org.layerstore.services.telemetry.metrics.HttpMetrics;
import org.layerstore.services.telemetry.metrics.MetricsSource;
import org.layerstore.services.telemetry.metrics.ProcessMetrics;
import org.layerstore.services.telemetry.metrics.ShareSpaceMetrics;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;

/**
 * Everything telemetry runs in the appliance: the embedded broker when no external one is configured,
 * the telemetry service with every metrics source, and what the dashboard page needs to find the broker.
 * Stopped in reverse order.
 */
public final class TelemetryStack implements AutoCloseable {

    private final Optional<EmbeddedBroker> broker;
    private final Optional<TelemetryService> service;
    private final DashboardConfig dashboard;

    private TelemetryStack(Optional<EmbeddedBroker> broker, Optional<TelemetryService> service, DashboardConfig dashboard) {
        this.broker = broker;
        this.service = service;
        this.dashboard = dashboard;
    }

    public static TelemetryStack start(ApplianceConfig config, TelemetryProviders providers, HttpStats httpStats)
            throws IOException {
        return start(config, providers, httpStats, List.of());
    }

    /** As {@link #start(ApplianceConfig, TelemetryProviders, HttpStats)}, sampling {@code moreSources} too. */
    public static TelemetryStack start(ApplianceConfig config, TelemetryProviders providers, HttpStats httpStats,
            List<MetricsSource> moreSources) throws IOException {
        MqttSettings mqtt = config.mqtt();
        if (!mqtt.enabled()) {
            return new TelemetryStack(Optional.empty(), Optional.empty(),
                    new DashboardConfig(mqtt.dashboardBroker(), null, mqtt.topicPrefix(), mqtt.deviceId()));
        }
        EmbeddedBroker broker = null;
        String brokerUrl = mqtt.broker();
        if (mqtt.usesEmbeddedBroker()) {
            var embedded = mqtt.embedded();
            broker = EmbeddedBroker.start(embedded.bind(), embedded.port(), embedded.websocketPort());
            brokerUrl = broker.mqttUrl();
        }
        List<MetricsSource> sources = new ArrayList<>();
        sources.add(new ProcessMetrics(providers.identity(), ApplianceVersion.current()));
        sources.add(new HttpMetrics(httpStats));
        sources.add(new ShareSpaceMetrics(config.shares()));
        sources.addAll(providers.sources());
        sources.addAll(moreSources);
        try {
            TelemetryService service = TelemetryService.start(mqtt, brokerUrl, sources, providers.identity().board(),
                    ApplianceVersion.current());
            return new TelemetryStack(Optional.ofNullable(broker), Optional.of(service),
                    new DashboardConfig(dashboardBrokerUrl(mqtt), broker == null ? null : DashboardRoute.MQTT_PATH,
                            mqtt.topicPrefix(), mqtt.deviceId()));
        } catch (IOException | RuntimeException e) {
            if (broker != null) {
                broker.close();
            }
            throw e;
        }
    }

    /** The browser's broker URL: configured, or the external broker's when it is a WebSocket one. */
    private static String dashboardBrokerUrl(MqttSettings mqtt) {
        if (mqtt.dashboardBroker() != null) {
            return mqtt.dashboardBroker();
        }
        String broker = mqtt.broker();
        return broker != null && (broker.startsWith("ws://") || broker.startsWith("wss://")) ? broker : null;
    }

    /** Where events go; does nothing when telemetry is off. */
    public TelemetryEvents events() {
        return service.map(TelemetryService::events).orElse(TelemetryEvents.NONE);
    }

    public DashboardConfig dashboard() {
        return dashboard;
    }

    public Optional<EmbeddedBroker> embeddedBroker() {
        return broker;
    }

    /** The broker the appliance publishes to, if telemetry is on. */
    public Optional<String> brokerUrl() {
        return service.map(TelemetryService::brokerUrl);
    }

    @Override
    public void close() {
        service.ifPresent(TelemetryService::close);
        broker.ifPresent(EmbeddedBroker::close);
    }
}
