// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;

import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.ConfigLoader;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.DemoCertificate;
import org.layerstore.services.demo.DemoShare;
import org.layerstore.services.demo.OffloadDemoNetwork;
import org.layerstore.services.http.OffloadPort;
import org.layerstore.services.telemetry.dashboard.DashboardRoute;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Runs the appliance until it is stopped (Ctrl-C or SIGTERM), then shuts it down cleanly. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the configured shares over HTTP; runs until Ctrl-C or SIGTERM.")
final class ServeCommand implements Callable<Integer> {

    /**
     * How long Ctrl-C or SIGTERM waits for the appliance to close before the JVM halts: the stop must end
     * within 5 s in every state, and this is above the HTTP server's 2-s grace for transfers in flight.
     */
    static final Duration STOP_BUDGET = Duration.ofSeconds(3);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", defaultValue = "${env:LAYERSTORE_CONFIG}",
            description = "Configuration file (YAML, see docs/configuration.md). Default: $LAYERSTORE_CONFIG, else built-in defaults.")
    Path config;

    @Option(names = "--root", paramLabel = "DIR", description = "Share DIR (replaces the configured shares).")
    Path root;

    @Option(names = "--share-name", paramLabel = "NAME", defaultValue = "files",
            description = "URL name of the --root share: served under /NAME/ (default: ${DEFAULT-VALUE}).")
    String shareName;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen address (default 0.0.0.0; 127.0.0.1 with --demo).")
    String bind;

    @Option(names = {"-p", "--port"}, paramLabel = "N", description = "HTTP port; 0 picks a free one (default 8080; 0 with --demo).")
    Integer port;

    @Option(names = "--demo", description = "Create and serve a demo share (a few files, one of 64 MiB) on loopback.")
    boolean demo;

    @Option(names = "--tls", description = "With --demo: serve HTTPS with a self-signed certificate kept in the data dir.")
    boolean tls;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:XDG_DATA_HOME:-${sys:user.home}/.local/share}/layerstore",
            description = "Where the demo share lives (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Where the appliance keeps what outlives a restart: the WebDAV locks (overrides stateDir). "
                    + "Default: stateDir, else $STATE_DIRECTORY (systemd's StateDirectory=), else ~/.local/state/layerstore.")
    Path stateDir;

    @Option(names = "--mqtt", paramLabel = "URL",
            description = "Publish telemetry to this MQTT broker (tcp://HOST:PORT, ssl://HOST:PORT, ws://HOST:PORT/PATH) "
                    + "instead of starting the embedded one (overrides mqtt.broker).")
    String mqtt;

    @Option(names = "--board", paramLabel = "ID", defaultValue = "${env:LAYERSTORE_BOARD}",
            description = "Board profile to run with instead of detecting the board (overrides board.profile; auto detects). "
                    + "Default: $LAYERSTORE_BOARD, else board.profile.")
    String board;

    @Option(names = "--offload-link", paramLabel = "IFNAME",
            description = "Also serve the shares on the offload port: the user-space TCP/IP stack on this interface "
                    + "(no IP address of its own; needs CAP_NET_RAW), at the HTTP port (overrides offload.link).")
    String offloadLink;

    @Option(names = "--offload-address", paramLabel = "ADDRESS/PREFIX",
            description = "The offload port's IPv4 address, e.g. 192.0.2.2/24 (overrides offload.address).")
    String offloadAddress;

    @Option(names = "--offload-gateway", paramLabel = "ADDRESS",
            description = "The offload port's next hop off its subnet (overrides offload.gateway).")
    String offloadGateway;

    @Option(names = "--offload-mac", paramLabel = "MAC",
            description = "The offload port's MAC; must be the interface's on an AF_PACKET link (overrides offload.mac).")
    String offloadMac;

    @Option(names = "--offload", description = "With --demo (needs root): create a veth pair and the network namespace "
            + OffloadDemoNetwork.DEMO_NAME + " for the client, and serve the demo share on the offload port in it too.")
    boolean offloadDemo;

    @Override
    public Integer call() throws Exception {
        if (offloadDemo && !demo) {
            throw new ConfigException("--offload goes with --demo; for your own interface give --offload-link and "
                    + "--offload-address");
        }
        OffloadDemoNetwork demoNetwork = offloadDemo ? OffloadDemoNetwork.create(OffloadDemoNetwork.DEMO_NAME) : null;
        ApplianceConfig effective;
        Appliance appliance;
        try {
            effective = effectiveConfig(demoNetwork);
            appliance = Appliance.start(effective);
        } catch (Exception e) {
            if (demoNetwork != null) {
                demoNetwork.close();
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            spec.commandLine().getOut().println("Stopping.");
            new BoundedStop(STOP_BUDGET).close(appliance, spec.commandLine().getOut(), () -> {
                if (demoNetwork != null) {
                    demoNetwork.close();
                }
            });
            stopped.countDown();
        }, "layerstore-shutdown"));
        var out = spec.commandLine().getOut();
        out.println("Layerstore is serving " + appliance.httpUrl());
        for (ShareSettings share : effective.shares()) {
            out.println("  share " + share.name() + ": " + appliance.httpUrl() + share.name() + "/  <- " + share.root()
                    + (share.readOnly() ? " (read-only)" : ""));
        }
        if (effective.http().tls() != null) {
            out.println("  TLS certificate: " + (effective.http().tls().isPkcs12() ? effective.http().tls().pkcs12()
                    : effective.http().tls().certificate()) + (demo ? " (self-signed: tell clients to trust it, e.g. curl --cacert)" : ""));
        }
        out.println("  board: " + appliance.platform().profile().model() + " (profile " + appliance.platform().profile().id()
                + "), frame manager: " + appliance.platform().backend().liveName());
        for (OffloadPort offload : appliance.offloadPorts()) {
            String url = "http://" + offload.localAddress().getAddress().getHostAddress() + ":" + offload.localAddress().getPort()
                    + "/";
            out.println("  offload port: " + url + " (user-space TCP/IP on " + offload.settings().link() + ")");
            if (demoNetwork != null) {
                out.println("  try it: ip netns exec " + demoNetwork.namespace() + " curl -o /dev/null -w '%{speed_download} B/s\\n' "
                        + url + DemoShare.NAME + "/" + DemoShare.BIG_FILE);
            }
        }
        out.println("  dashboard: " + appliance.dashboardUrl());
        appliance.telemetry().brokerUrl().ifPresent(url -> out.println("  telemetry: MQTT " + url
                + appliance.telemetry().embeddedBroker().map(b -> " (embedded broker; the dashboard's WebSocket is "
                        + DashboardRoute.MQTT_PATH + ")")
                        .orElse("")));
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }

    /** The file's offload settings under the --offload-* options, or the demo network's. */
    private OffloadSettings offloadSettings(OffloadSettings configured, OffloadDemoNetwork demoNetwork) {
        if (demoNetwork != null) {
            return new OffloadSettings(demoNetwork.stackInterface(),
                    OffloadDemoNetwork.STACK_ADDRESS + "/" + OffloadDemoNetwork.PREFIX_LENGTH);
        }
        if (offloadLink == null && offloadAddress == null && offloadGateway == null && offloadMac == null) {
            return configured;
        }
        String link = offloadLink != null ? offloadLink : configured == null ? null : configured.link();
        String address = offloadAddress != null ? offloadAddress : configured == null ? null : configured.address();
        if (link == null || address == null) {
            throw new ConfigException("the offload port needs both --offload-link and --offload-address (or offload.link "
                    + "and offload.address in the configuration file)");
        }
        return new OffloadSettings(link, address,
                offloadGateway != null ? offloadGateway : configured == null ? null : configured.gateway(),
                offloadMac != null ? offloadMac : configured == null ? null : configured.mac(),
                configured == null ? null : configured.fmanPort(), configured == null ? null : configured.wire());
    }

    /** systemd's StateDirectory= (the unit names layerstore), else the XDG state home's layerstore folder. */
    static Path defaultStateDir() {
        String systemd = System.getenv("STATE_DIRECTORY");
        if (systemd != null && !systemd.isBlank()) {
            return Path.of(systemd.split(":")[0]);
        }
        String xdg = System.getenv("XDG_STATE_HOME");
        Path stateHome = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "state");
        return stateHome.resolve("layerstore");
    }

    ApplianceConfig effectiveConfig() throws java.io.IOException {
        return effectiveConfig(null);
    }

    /** The configuration file's settings under the command line's; {@code demoNetwork} gives the offload port. */
    ApplianceConfig effectiveConfig(OffloadDemoNetwork demoNetwork) throws java.io.IOException {
        ApplianceConfig base = config == null ? ApplianceConfig.defaults() : new ConfigLoader().load(config);
        var http = base.http();
        var mqttSettings = base.mqtt();
        List<ShareSettings> shares = new ArrayList<>(base.shares());
        if (demo) {
            Path dir = DemoShare.create(dataDir.resolve("demo-share"));
            shares = new ArrayList<>(List.of(new ShareSettings(DemoShare.NAME, dir, true).withAnonymous(ShareSettings.ANONYMOUS_READ)));
            http = http.withBind("127.0.0.1").withPort(0);
            if (tls) {
                http = http.withTls(DemoCertificate.create(dataDir.resolve("demo-tls")));
            }
            mqttSettings = mqttSettings.withEmbedded(mqttSettings.embedded().withPorts(0, 0));
        }
        if (root != null) {
            shares = new ArrayList<>(List.of(new ShareSettings(shareName, root, false).withAnonymous(ShareSettings.ANONYMOUS_READ)));
        }
        if (bind != null) {
            http = http.withBind(bind);
        }
        if (port != null) {
            http = http.withPort(port);
        }
        if (mqtt != null) {
            MqttSettings.checkBrokerUrl("--mqtt", mqtt);
            mqttSettings = mqttSettings.withBroker(mqtt);
        }
        OffloadSettings offload = offloadSettings(base.offload(), demoNetwork);
        ApplianceConfig effective = base.withHttp(http).withShares(shares).withMqtt(mqttSettings).withOffload(offload)
                .withStateDir(stateDir != null ? stateDir : base.stateDir() != null ? base.stateDir() : defaultStateDir());
        return board == null ? effective : effective.withBoard(effective.board().withProfile(board));
    }
}
