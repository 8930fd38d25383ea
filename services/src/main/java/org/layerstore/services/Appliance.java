// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.HalLibrary;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.http.EngineFallback;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.OffloadPort;
import org.layerstore.services.telemetry.metrics.MetricsSource;
import org.layerstore.services.telemetry.metrics.NetstackMetrics;
import org.layerstore.services.http.HttpStats;
import org.layerstore.services.platform.Platform;
import org.layerstore.services.http.webdav.LockManager;
import org.layerstore.services.telemetry.LateBoundEvents;
import org.layerstore.services.telemetry.TelemetryStack;
import org.layerstore.services.telemetry.dashboard.DashboardRoute;
import org.layerstore.services.telemetry.providers.DatapathEngineStats;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;
import org.layerstore.services.telemetry.providers.PlatformProviders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running appliance: every service started from one configuration, stopped in reverse order. */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);

    private final HttpFileServer http;
    private final boolean tls;
    private final TelemetryStack telemetry;
    private final Platform platform;
    private final TransmitEngines engines;
    private final FrameManagers frameManagers;

    private Appliance(HttpFileServer http, boolean tls, TelemetryStack telemetry, Platform platform,
            TransmitEngines engines, FrameManagers frameManagers) {
        this.http = http;
        this.tls = tls;
        this.telemetry = telemetry;
        this.platform = platform;
        this.engines = engines;
        this.frameManagers = frameManagers;
    }

    /** Starts the appliance on the running system: the board detected (or named by {@code board.profile}). */
    public static Appliance start(ApplianceConfig config) throws IOException {
        return start(config, Platform.detect(config));
    }

    /** Starts the appliance on {@code platform}, with telemetry from its board, engines and frame manager. */
    public static Appliance start(ApplianceConfig config, Platform platform) throws IOException {
        Parts parts = new Parts(platform);
        return start(config, parts, PlatformProviders.of(platform, parts.engines, parts.frameManagers, config.shares()));
    }

    /** Starts the appliance on the running system with the given telemetry providers (scripted numbers in tests). */
    public static Appliance start(ApplianceConfig config, TelemetryProviders providers) throws IOException {
        return start(config, new Parts(Platform.detect(config)), providers);
    }

    /** The datapath's engines and the frame-manager portals for one platform. */
    private record Parts(Platform platform, TransmitEngines engines, FrameManagers frameManagers) {
        Parts(Platform platform) {
            this(platform, TransmitEngines.standard(platform.datapath()), platform.frameManagers());
        }
    }

    private static Appliance start(ApplianceConfig config, Parts parts, TelemetryProviders providers) throws IOException {
        if (config.shares().isEmpty()) {
            throw new ConfigException("no share configured: give --root DIR, --demo, or 'shares' in the configuration file");
        }
        LOG.info("HAL: {}", HalLibrary.describe());
        parts.platform.log(LOG);
        HttpStats httpStats = new HttpStats();
        TransmitEngines engines = parts.engines;
        // The file server listens first: clients are served while the MQTT broker and session start.
        AtomicReference<byte[]> dashboardConfig = new AtomicReference<>();
        LateBoundEvents events = new LateBoundEvents();
        AtomicReference<InetSocketAddress> brokerWebSocket = new AtomicReference<>();
        HttpFileServer http;
        try {
            LockManager locks = config.stateDir() == null ? new LockManager() : LockManager.persistent(config.stateDir());
            http = HttpFileServer.start(config.http(), config.auth(), config.shares(), httpStats,
                    List.of(new DashboardRoute(dashboardConfig::get, brokerWebSocket::get)), engines, locks, events);
        } catch (IOException | RuntimeException e) {
            parts.frameManagers.close();
            throw e;
        }
        if (config.offload() != null) {
            try {
                http.serveOffload(config.offload(), parts.frameManagers, config.frameManager().verifyPinning(), events);
            } catch (IOException | RuntimeException e) {
                http.close();
                parts.frameManagers.close();
                throw e;
            }
        }
        http.onSignInFailure(events::authFailure);
        TelemetryStack telemetry;
        try {
            telemetry = TelemetryStack.start(config, providers.engines().isPresent() ? providers
                    : providers.withEngines(new DatapathEngineStats(engines)), httpStats,
                    http.offloadPorts().stream().<MetricsSource>map(p -> new NetstackMetrics(p.counters(), p.linkCounters())).toList());
        } catch (IOException | RuntimeException e) {
            http.close();
            parts.frameManagers.close();
            throw e;
        }
        telemetry.embeddedBroker().ifPresent(broker -> brokerWebSocket.set(broker.websocketAddress()));
        dashboardConfig.set(telemetry.dashboard().toJson());
        int droppedEarly = events.attach(telemetry.events());
        if (droppedEarly > 0) {
            LOG.warn("{} events raised while telemetry started were dropped", droppedEarly);
        }
        for (EngineFallback fallback : http.engineFallbacks()) {
            telemetry.events().engineFallback(fallback.engine(), fallback.fallback(),
                    "share " + fallback.share() + ": " + fallback.reason());
        }
        return new Appliance(http, config.http().tls() != null, telemetry, parts.platform, engines, parts.frameManagers);
    }

    /** The board, its datapath limits and the live frame-manager backend, with why each was chosen. */
    public Platform platform() {
        return platform;
    }

    /** The datapath's transmit and receive engines, made for this board's limits; telemetry reads their counters. */
    public TransmitEngines engines() {
        return engines;
    }

    /** Where frame-manager portals are opened (live backend, board configuration) and counted in telemetry. */
    public FrameManagers frameManagers() {
        return frameManagers;
    }

    /** MQTT telemetry: its broker, its events sink, the dashboard's settings. */
    public TelemetryStack telemetry() {
        return telemetry;
    }

    /** The monitoring dashboard's URL. */
    public String dashboardUrl() {
        return httpUrl() + DashboardRoute.PREFIX.substring(1);
    }

    /** The offload ports (the user-space TCP/IP stack) serving the shares beside the kernel listener. */
    public List<OffloadPort> offloadPorts() {
        return http.offloadPorts();
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
        frameManagers.close();
        telemetry.close();
    }
}
