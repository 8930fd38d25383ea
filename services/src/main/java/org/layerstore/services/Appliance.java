package org.layerstore.services;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.fm.Availability;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.http.HttpFileServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running appliance: every service started from one configuration, stopped in reverse order. */
public final class Appliance implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Appliance.class);

    private final HttpFileServer http;

    private Appliance(HttpFileServer http) {
        this.http = http;
    }

    public static Appliance start(ApplianceConfig config) throws IOException {
        if (config.shares().isEmpty()) {
            throw new ConfigException("no share configured: give --root DIR, --demo, or 'shares' in the configuration file");
        }
        LOG.info("HAL: {}", HalLibrary.describe());
        Availability frameManager = FrameManagerBackends.choose(FrameManagerBackends.AUTO);
        LOG.info("Frame manager: {} backend {}: {}", frameManager.backend(),
                frameManager.available() ? "live" : "unavailable", frameManager.reason());
        HttpFileServer http = HttpFileServer.start(config.http(), config.shares());
        return new Appliance(http);
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
        return "http://" + host + ":" + address.getPort() + "/";
    }

    @Override
    public void close() {
        http.close();
    }
}
