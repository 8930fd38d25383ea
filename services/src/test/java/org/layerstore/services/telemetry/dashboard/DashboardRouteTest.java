// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.HttpStats;
import org.layerstore.services.http.RawHttp;

/** The dashboard route in the real HTTP server, next to a share. */
class DashboardRouteTest {

    @TempDir
    Path dir;

    private HttpFileServer server;
    private final HttpStats stats = new HttpStats();
    private final AtomicReference<byte[]> config = new AtomicReference<>();
    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String base;

    @BeforeEach
    void start() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "file body\n");
        config.set(new DashboardConfig(null, DashboardRoute.MQTT_PATH, "layerstore", "ls1").toJson());
        server = HttpFileServer.start(new HttpSettings("127.0.0.1", 0), AuthSettings.defaults(),
                List.of(new ShareSettings("files", share, true).withAnonymous(ShareSettings.ANONYMOUS_READ)), stats,
                List.of(new DashboardRoute(config::get, () -> null)));
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<byte[]> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void shouldServeThePageItsScriptsAndTheBrowserLibrariesFromTheWebJars() throws Exception {
        HttpResponse<byte[]> page = send("GET", "/_dashboard/");
        assertEquals(200, page.statusCode());
        assertTrue(new String(page.body()).contains("<title>Layerstore monitor</title>"));
        assertTrue(page.headers().firstValue("content-type").orElseThrow().startsWith("text/html"));
        for (String script : List.of("dashboard.js", "dashboard.css", "lib/paho-mqtt-min.js", "lib/chart.umd.min.js")) {
            HttpResponse<byte[]> r = send("GET", "/_dashboard/" + script);
            assertEquals(200, r.statusCode(), script);
            assertTrue(r.body().length > 1000, script + " is " + r.body().length + " bytes");
        }
        assertTrue(new String(send("GET", "/_dashboard/lib/chart.umd.min.js").body()).contains("Chart.js"));
        assertTrue(new String(send("GET", "/_dashboard/lib/paho-mqtt-min.js").body()).contains("Paho"));
        String config = new String(send("GET", "/_dashboard/config.json?x=1").body());
        assertTrue(config.contains("\"websocketPath\":\"/_dashboard/mqtt\"") && config.contains("\"deviceId\":\"ls1\""), config);
    }

    @Test
    void shouldTellAnHttp10ClientAskingForKeepAliveThatTheConnectionStaysOpen() throws Exception {
        for (RawHttp.Answer kept : RawHttp.http10KeptAlive(server.localAddress().getPort(), "/_dashboard/config.json", 2,
                null)) {
            assertTrue(kept.head().contains("\r\nconnection: keep-alive\r\n"), kept.head());
            assertTrue(kept.body().contains("\"deviceId\":\"ls1\""), kept.body());
        }
    }

    @Test
    void shouldAnswerTheConfigurationWithRetryAfterWhileTelemetryStarts() throws Exception {
        config.set(null);
        HttpResponse<byte[]> starting = send("GET", "/_dashboard/config.json");
        assertEquals(503, starting.statusCode());
        assertEquals("1", starting.headers().firstValue("retry-after").orElseThrow());
        assertEquals(200, send("GET", "/_dashboard/").statusCode(), "the page itself is there from the start");
        config.set(new DashboardConfig(null, null, "layerstore", "ls2").toJson());
        assertTrue(new String(send("GET", "/_dashboard/config.json").body()).contains("\"deviceId\":\"ls2\""));
    }

    @Test
    void shouldRedirectRefuseAndPassOtherRequestsToTheShares() throws Exception {
        HttpResponse<byte[]> bare = send("GET", "/_dashboard");
        assertEquals(301, bare.statusCode());
        assertEquals("/_dashboard/", bare.headers().firstValue("location").orElseThrow());
        assertEquals(403, send("GET", "/_dashboard/../etc/passwd").statusCode());
        assertEquals(404, send("GET", "/_dashboard/lib/unknown.js").statusCode());
        assertEquals(405, send("POST", "/_dashboard/").statusCode());
        HttpResponse<byte[]> head = send("HEAD", "/_dashboard/dashboard.js");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertTrue(Long.parseLong(head.headers().firstValue("content-length").orElseThrow()) > 1000);
        assertEquals("file body\n", new String(send("GET", "/files/a.txt").body()));
    }

    @Test
    void shouldCountRequestsAndErrorsByClass() throws Exception {
        send("GET", "/files/a.txt");
        send("GET", "/files/missing.txt");
        send("GET", "/_dashboard/nothing");
        assertEquals(3, stats.requests());
        assertEquals(2, stats.clientErrors());
        assertEquals(0, stats.serverErrors());
    }
}
