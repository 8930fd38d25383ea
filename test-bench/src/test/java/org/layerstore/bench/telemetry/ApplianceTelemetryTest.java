// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.Transfers;
import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.platform.Platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The appliance with its own providers (no scripted numbers) publishing to a real Mosquitto: the board it
 * detected, the live backend, the board's temperature, the live NIC counters and the engines' bytes.
 *
 * <p>The system root the appliance reads is a directory of links: the LS1046A-RDB fixture's device tree and
 * /proc/cpuinfo (so the board is an ls1046ardb), this host's /sys/class/net, mount table and block devices (so
 * the NIC counters are live), and the host's thermal zones, or the fixture's where the host has none.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ApplianceTelemetryTest {

    private static final String PREFIX = "lab/layerstore";
    private static final String DEVICE = "rdb-1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    /** The links of the root, removed after the test so that the temporary directory's cleanup never follows them. */
    private final List<Path> links = new ArrayList<>();
    private boolean fixtureThermal;

    @AfterEach
    void removeLinks() throws IOException {
        for (Path link : links) {
            Files.deleteIfExists(link);
        }
    }

    @Test
    void telemetryCarriesTheDetectedBoardItsSensorsAndTheEnginesBytes() throws Exception {
        Path root = linkedRoot(Path.of(System.getProperty("layerstore.boardFixtures"), "ls1046ardb"));
        Path share = Files.createDirectories(dir.resolve("share"));
        byte[] payload = new byte[4 * 1024 * 1024 + 123];
        new Random(11).nextBytes(payload);
        Path file = Files.write(share.resolve("payload.bin"), payload);

        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")));
                MqttRecorder operator = new MqttRecorder(broker.url(), "operator", false, PREFIX + "/" + DEVICE + "/telemetry")) {
            MqttSettings mqtt = new MqttSettings(true, broker.url(), MosquittoBroker.USER, MosquittoBroker.PASSWORD, null,
                    DEVICE, null, PREFIX, 1, 1000, 2, null, null, null);
            ApplianceConfig config = new ApplianceConfig(new HttpSettings("127.0.0.1", 0), null,
                    List.of(new ShareSettings("files", share, true).withAnonymous(ShareSettings.ANONYMOUS_READ)), mqtt);
            try (Appliance appliance = Appliance.start(config, Platform.detect(config, root))) {
                JsonNode first = metrics(operator.await(r -> true, 20, TimeUnit.SECONDS));
                long loRxBefore = first.at("/nic.lo/rx_bytes/value").asLong(-1);
                assertTrue(loRxBefore >= 0, "loopback counters are read live: " + first.path("nic.lo"));

                // A real download through the server, then the same file through the appliance's sendfile engine.
                HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(appliance.httpUrl() + "files/payload.bin")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, download.statusCode());
                assertArrayEquals(payload, download.body());
                long sent = sendThroughEngine(appliance, file);
                assertEquals(payload.length, sent);

                JsonNode m = metrics(operator.await(r -> sendfileBytes(r.payload()) >= sent, 20, TimeUnit.SECONDS));
                assertEquals("LS1046A RDB Board (ls1046ardb)", m.at("/system/board/value").asText());
                assertEquals("LS1046A", m.at("/system/soc/value").asText());
                assertEquals("emulated", m.at("/system/hal_backend/value").asText());
                assertTrue(m.at("/board/soc_temperature/value").isNumber(), "temperature: " + m.path("board"));
                if (fixtureThermal) {
                    assertEquals(47.0, m.at("/board/soc_temperature/value").asDouble(), "the fixture's cluster-thermal");
                }
                assertTrue(m.at("/nic.lo/rx_bytes/value").asLong() >= loRxBefore + 2L * payload.length,
                        "the download and the engine's transfer crossed loopback: " + m.path("nic.lo"));
                assertEquals(0, m.at("/engine.sendfile/cpu_copied_bytes/value").asLong());
                assertTrue(m.at("/engine.copy/bytes/value").isNumber(), "every engine has its group: " + m);
            }
        }
    }

    /** A root of links: the fixture's device tree and cpuinfo, the host's sysfs and mounts. */
    private Path linkedRoot(Path fixture) throws IOException {
        Path root = dir.resolve("root");
        Files.createDirectories(root.resolve("proc/self"));
        Files.createDirectories(root.resolve("sys/class"));
        Files.createDirectories(root.resolve("sys/dev"));
        link(root.resolve("proc/device-tree"), fixture.resolve("proc/device-tree"));
        link(root.resolve("proc/cpuinfo"), fixture.resolve("proc/cpuinfo"));
        link(root.resolve("proc/self/mountinfo"), Path.of("/proc/self/mountinfo"));
        link(root.resolve("sys/class/net"), Path.of("/sys/class/net"));
        link(root.resolve("sys/class/block"), Path.of("/sys/class/block"));
        link(root.resolve("sys/dev/block"), Path.of("/sys/dev/block"));
        boolean hostZones;
        try (var zones = Files.list(Path.of("/sys/class/thermal"))) {
            hostZones = zones.anyMatch(z -> Files.isReadable(z.resolve("temp")));
        } catch (IOException e) {
            hostZones = false;
        }
        fixtureThermal = !hostZones;
        link(root.resolve("sys/class/thermal"), hostZones ? Path.of("/sys/class/thermal") : fixture.resolve("sys/class/thermal"));
        return root;
    }

    private void link(Path link, Path target) throws IOException {
        links.add(Files.createSymbolicLink(link, target));
    }

    private static long sendThroughEngine(Appliance appliance, Path file) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel peer = server.accept(); InputStream in = Channels.newInputStream(peer)) {
                    return in.transferTo(OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long sent;
            try (OpenFile open = OpenFile.read(file)) {
                sent = Transfers.sendAll(appliance.engines().engine("sendfile").open(open, FileRange.whole(open.size())),
                        client);
            }
            client.shutdownOutput();
            assertEquals(sent, received.get(30, TimeUnit.SECONDS));
            return sent;
        }
    }

    private static JsonNode metrics(MqttRecorder.Received sample) throws IOException {
        return JSON.readTree(sample.payload()).get("metrics");
    }

    private static long sendfileBytes(String payload) {
        try {
            return JSON.readTree(payload).at("/metrics/engine.sendfile/bytes/value").asLong(-1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
