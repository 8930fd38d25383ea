// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ConfigException;
import org.layerstore.services.config.EmbeddedBrokerSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.DemoCertificate;
import org.layerstore.services.http.Curl;
import org.layerstore.services.http.TestServers;

/**
 * With users configured, the dashboard, its config.json and its MQTT over WebSocket need a user, on the
 * HTTP server's own port, over HTTPS (wss://) as over plain HTTP (ws://); the embedded broker itself is on
 * loopback only. Two running appliances: HTTPS on every interface, and plain HTTP on loopback.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DashboardAccessTest {

    /** A veth pair whose host end carries a documentation address: a non-loopback address of this host. */
    private static final String NAMESPACE = "lsau-dash";
    private static final String HOST_END = "lsau-dash0";
    private static final String HOST_ADDRESS = "198.51.100.81";

    @TempDir
    static Path dir;

    private static Appliance tls;
    private static Appliance plain;
    private static Curl anonymous;
    private static Curl alice;
    private static Curl wrong;
    private static SSLContext trustDemo;

    @BeforeAll
    static void start() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Path users = TestServers.usersFile(dir);
        var certificate = DemoCertificate.create(dir.resolve("tls"));
        tls = Appliance.start(config(new HttpSettings("0.0.0.0", 0).withTls(certificate),
                new AuthSettings(users, null, false), share, "dash-tls"));
        plain = Appliance.start(config(new HttpSettings("127.0.0.1", 0), new AuthSettings(users, null, true), share,
                "dash-plain"));
        String ca = dir.resolve("tls/cert.pem").toString();
        anonymous = new Curl(dir, "--cacert", ca);
        alice = new Curl(dir, "--cacert", ca, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        wrong = new Curl(dir, "--cacert", ca, "-u", TestServers.USER + ":wrong");
        trustDemo = trusting(dir.resolve("tls/cert.pem"));
    }

    private static ApplianceConfig config(HttpSettings http, AuthSettings auth, Path share, String device) {
        MqttSettings mqtt = new MqttSettings(true, null, null, null, null, device, null, null, null, null, null, null,
                null, new EmbeddedBrokerSettings(null, 0, 0));
        return new ApplianceConfig(http, auth, List.of(new ShareSettings("files", share, false)), mqtt, null, null);
    }

    @AfterAll
    static void stop() throws Exception {
        for (Appliance a : new Appliance[] {tls, plain}) {
            if (a != null) {
                a.close();
            }
        }
        run("ip", "netns", "del", NAMESPACE);
    }

    @Test
    void theDashboardAndItsConfigurationNeedAUser() throws Exception {
        for (String path : List.of("_dashboard/", "_dashboard/config.json", "_dashboard/dashboard.js", "_dashboard/mqtt")) {
            Curl.Response refused = anonymous.run(tls.httpUrl() + path);
            assertEquals(401, refused.status(), path);
            assertTrue(refused.header("www-authenticate").startsWith("Basic realm="), path);
            assertEquals(401, wrong.run(tls.httpUrl() + path).status(), path);
        }
        Curl.Response page = alice.run(tls.httpUrl() + "_dashboard/");
        assertEquals(200, page.status());
        assertTrue(page.text().contains("<title>Layerstore monitor</title>"));
        String config = alice.run(tls.httpUrl() + "_dashboard/config.json").text();
        assertTrue(config.contains("\"websocketPath\":\"/_dashboard/mqtt\"") && config.contains("\"deviceId\":\"dash-tls\""),
                config);
        assertTrue(!config.contains("websocketPort"), "the broker's own port is no business of the page: " + config);
        assertEquals(401, anonymous.run(plain.httpUrl() + "_dashboard/config.json").status());
        assertEquals(200, new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD)
                .run(plain.httpUrl() + "_dashboard/config.json").status());
    }

    @Test
    void theMqttWebSocketIsRelayedOverTlsToSignedInUsersOnly() throws Exception {
        String wss = "wss://127.0.0.1:" + tls.httpAddress().getPort() + "/_dashboard/mqtt";
        assertRefused(wss, Map.of());
        assertRefused(wss, Map.of("Authorization", basic(TestServers.USER, "wrong")));
        assertEquals("online", retainedAvailability(wss, Map.of("Authorization", basic(TestServers.USER, TestServers.PASSWORD)),
                "dash-tls"));
    }

    @Test
    void theMqttWebSocketIsRelayedOverPlainHttpToSignedInUsersOnly() throws Exception {
        String ws = "ws://127.0.0.1:" + plain.httpAddress().getPort() + "/_dashboard/mqtt";
        assertRefused(ws, Map.of());
        assertEquals("online", retainedAvailability(ws, Map.of("Authorization", basic(TestServers.USER, TestServers.PASSWORD)),
                "dash-plain"));
    }

    @Test
    void aPageOfAnotherOriginCannotUseTheUsersCredentials() throws Exception {
        String ws = "ws://127.0.0.1:" + plain.httpAddress().getPort() + "/_dashboard/mqtt";
        assertRefused(ws, Map.of("Authorization", basic(TestServers.USER, TestServers.PASSWORD),
                "Origin", "http://attacker.example"));
        Curl upgrade = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD, "-H", "Connection: Upgrade",
                "-H", "Upgrade: websocket", "-H", "Sec-WebSocket-Version: 13", "-H", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==");
        assertEquals(403, upgrade.run("-H", "Origin: http://attacker.example", plain.httpUrl() + "_dashboard/mqtt").status());
        assertEquals(426, new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD)
                .run(plain.httpUrl() + "_dashboard/mqtt").status(), "a GET that is no upgrade");
    }

    @Test
    void theEmbeddedBrokerIsNotReachableFromTheNetworkWhileTheFileServerIs() throws Exception {
        run("ip", "netns", "del", NAMESPACE); // a run killed before its clean-up
        assumeTrue(run("ip", "netns", "add", NAMESPACE) == 0, "needs root to create a network namespace");
        assertEquals(0, run("ip", "link", "add", HOST_END, "type", "veth", "peer", "name", "lsau-dash1", "netns", NAMESPACE));
        assertEquals(0, run("ip", "addr", "add", HOST_ADDRESS + "/30", "dev", HOST_END));
        assertEquals(0, run("ip", "link", "set", HOST_END, "up"));
        assertEquals(0, run("ip", "-n", NAMESPACE, "addr", "add", "198.51.100.82/30", "dev", "lsau-dash1"));
        assertEquals(0, run("ip", "-n", NAMESPACE, "link", "set", "lsau-dash1", "up"));

        try (Socket http = new Socket()) { // the file server listens on every interface: the address is reachable
            http.connect(new InetSocketAddress(HOST_ADDRESS, tls.httpAddress().getPort()), 5000);
        }
        var broker = tls.telemetry().embeddedBroker().orElseThrow();
        int mqttPort = Integer.parseInt(broker.mqttUrl().substring(broker.mqttUrl().lastIndexOf(':') + 1));
        MqttClient outsider = new MqttClient("tcp://" + HOST_ADDRESS + ":" + mqttPort, "outsider", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(5);
        MqttException refused = assertThrows(MqttException.class, () -> outsider.connect(options));
        assertTrue(refused.getCause() instanceof ConnectException, "refused, not timed out: " + refused.getCause());
        outsider.close();
        assertThrows(ConnectException.class, () -> new Socket().connect(
                new InetSocketAddress(HOST_ADDRESS, broker.websocketAddress().getPort()), 5000));
    }

    @Test
    void anEmbeddedBrokerOnTheNetworkBesideUsersIsAConfigurationError() {
        MqttSettings everywhere = new MqttSettings(true, null, null, null, null, "x", null, null, null, null, null, null,
                null, new EmbeddedBrokerSettings("0.0.0.0", 0, 0));
        ConfigException e = assertThrows(ConfigException.class, () -> new ApplianceConfig(null,
                new AuthSettings(dir.resolve("users"), null, null), List.of(), everywhere, null, null));
        assertTrue(e.getMessage().startsWith("mqtt.embedded.bind 0.0.0.0 is not a loopback address"), e.getMessage());
        new ApplianceConfig(null, null, List.of(), everywhere, null, null); // without users: the lab's open broker
    }

    private static void assertRefused(String url, Map<String, String> headers) throws Exception {
        MqttClient client = new MqttClient(url, "refused-" + System.nanoTime(), new MemoryPersistence());
        try {
            MqttException e = assertThrows(MqttException.class, () -> client.connect(options(url, headers)),
                    url + " " + headers.keySet());
            // Paho's words for a handshake answered without 101 (the 401 or 403): refused by the server, not failed here.
            assertTrue(String.valueOf(e.getCause()).contains("WebSocket Response header"), String.valueOf(e.getCause()));
        } finally {
            client.close();
        }
    }

    /** Connects as the dashboard does, through the relay, and reads the retained availability. */
    private static String retainedAvailability(String url, Map<String, String> headers, String device) throws Exception {
        MqttClient client = new MqttClient(url, "dashboard-like-" + System.nanoTime(), new MemoryPersistence());
        try {
            client.connect(options(url, headers));
            CompletableFuture<String> availability = new CompletableFuture<>();
            client.subscribe(new MqttSubscription[] {new MqttSubscription("layerstore/" + device + "/availability", 1)},
                    new IMqttMessageListener[] {(topic, message) ->
                            availability.complete(new String(message.getPayload(), StandardCharsets.UTF_8))});
            return availability.get(30, TimeUnit.SECONDS);
        } finally {
            if (client.isConnected()) {
                client.disconnect();
            }
            client.close();
        }
    }

    private static MqttConnectionOptions options(String url, Map<String, String> headers) {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setConnectionTimeout(10);
        options.setCustomWebSocketHeaders(headers);
        if (url.startsWith("wss:")) {
            options.setSocketFactory(trustDemo.getSocketFactory());
        }
        return options;
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            store.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }
}
