package org.layerstore.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.fm.Availability;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.HttpStats;
import org.layerstore.services.telemetry.TelemetryStack;
import org.layerstore.services.telemetry.dashboard.DashboardRoute;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running appliance: every service started from one configuration, stopped in reverse order. */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);

    private final HttpFileServer http;
    private final boolean tls;
    private final TelemetryStack telemetry;

    private Appliance(HttpFileServer http, boolean tls, TelemetryStack telemetry) {
        this.http = http;
        this.tls = tls;
        this.telemetry = telemetry;
    }

    public static Appliance start(ApplianceConfig config) throws IOException {
        return start(config, TelemetryProviders.hostOnly());
    }

    /** Starts the appliance with the datapath's, HAL's and board's telemetry providers. */
    public static Appliance start(ApplianceConfig config, TelemetryProviders providers) throws IOException {
        if (config.shares().isEmpty()) {
            throw new ConfigException("no share configured: give --root DIR, --demo, or 'shares' in the configuration file");
        }
        LOG.info("HAL: {}", HalLibrary.describe());
        Availability frameManager = FrameManagerBackends.choose(FrameManagerBackends.AUTO);
        LOG.info("Frame manager: {} backend {}: {}", frameManager.backend(),
                frameManager.available() ? "live" : "unavailable", frameManager.reason());
        HttpStats httpStats = new HttpStats();
        TelemetryStack telemetry = TelemetryStack.start(config, providers, httpStats);
        try {
            byte[] dashboardConfig = telemetry.dashboard().toJson();
            HttpFileServer http = HttpFileServer.start(config.http(), config.auth(), config.shares(), httpStats,
                    List.of(() -> new DashboardRoute(dashboardConfig)));
            return new Appliance(http, config.http().tls() != null, telemetry);
        } catch (IOException | RuntimeException e) {
            telemetry.close();
            throw e;
        }
    }

    /** MQTT telemetry: its broker, its events sink, the dashboard's settings. */
    public TelemetryStack telemetry() {
        return telemetry;
    }

    /** The monitoring dashboard's URL. */
    public String dashboardUrl() {
        return httpUrl() + DashboardRoute.PREFIX.substring(1);
    }

    public InetSocketAddress httpAddress() {
        return http.localAddress();
    }

    /** A URL a local client can use: the wildcard address is shown as loopback. */
    public String httpUrl() {
        InetSocketAddress address = httpAddress();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + address.getPort() + "/";
    }

    @Override
    public void close() {
        http.close();
        telemetry.close();
    }
}
