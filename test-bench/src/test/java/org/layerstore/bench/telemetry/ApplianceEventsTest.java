// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.bench.ExternalCommand;
import org.layerstore.services.Appliance;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;
import org.layerstore.services.http.auth.UserDirectory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The documented events, raised by the running appliance itself and received by a Paho subscriber from a real
 * Mosquitto: {@code upload} and {@code upload_failed} by PUT, {@code delete} by DELETE and MOVE,
 * {@code auth_failure} by wrong credentials, and {@code dma_error} by the offload port's frame-manager link: a
 * download through the user-space TCP/IP stack (curl in a network namespace at the other end of a veth pair) whose
 * file is truncated on the way, so the emulated frame manager reads pinned pages that are gone. Needs root, ip,
 * ethtool and curl (the offload port's network), and skips saying so.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ApplianceEventsTest {

    private static final String PREFIX = "lab/layerstore";
    private static final String DEVICE = "events-1";
    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @Test
    void theAppliancesOwnCodePathsRaiseEveryDocumentedEvent() throws Exception {
        assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "needs root: the offload port's network (a namespace, a veth pair, AF_PACKET, pagemap frame numbers)");
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/ethtool", "/usr/bin/curl")) {
            assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool);
        }
        Path share = Files.createDirectories(dir.resolve("share"));
        Path users = Files.writeString(dir.resolve("users"), USER + ":" + UserDirectory.hash(PASSWORD, 4) + "\n");
        try (MosquittoBroker broker = MosquittoBroker.start(Files.createDirectories(dir.resolve("mosquitto")));
                MqttRecorder operator = new MqttRecorder(broker.url(), "operator", false, PREFIX + "/" + DEVICE + "/events/#");
                OffloadDemoNetwork network = OffloadDemoNetwork.create("lsev" + HexFormat.of().toHexDigits(
                        (short) ThreadLocalRandom.current().nextInt()))) {
            MqttSettings mqtt = new MqttSettings(true, broker.url(), MosquittoBroker.USER, MosquittoBroker.PASSWORD, null,
                    DEVICE, null, PREFIX, 10, 1000, 2, null, null, null);
            ApplianceConfig config = new ApplianceConfig(new HttpSettings("127.0.0.1", 0), new AuthSettings(users, null, true),
                    List.of(new ShareSettings("files", share, false)), mqtt, null, null, null,
                    new OffloadSettings(network.stackInterface(), OffloadDemoNetwork.STACK_ADDRESS + "/24")
                            .withWire(OffloadSettings.WIRE_FRAME_MANAGER));
            try (Appliance appliance = Appliance.start(config)) {
                String files = appliance.httpUrl() + "files/";
                String credentials = USER + ":" + PASSWORD;

                Path report = Files.writeString(dir.resolve("report.txt"), "quarterly numbers\n");
                curl("-u", credentials, "-T", report.toString(), files + "report.txt");
                JsonNode upload = event(operator, "upload", "/report.txt");
                assertEquals("files", upload.get("share").asText());
                assertEquals(Files.size(report), upload.get("bytes").asLong());

                abandonedUpload(appliance, "partial.bin");
                JsonNode failed = event(operator, "upload_failed", "/partial.bin");
                assertEquals(10, failed.get("bytes").asLong(), "the bytes received before the client went away");
                assertFalse(failed.get("reason").asText().isBlank(), failed.toString());
                assertTrue(Files.notExists(share.resolve("partial.bin")), "nothing of the dropped upload is in the share");

                curl("-u", credentials, "-X", "MOVE", "-H", "Destination: " + files + "moved.txt", files + "report.txt");
                event(operator, "delete", "/report.txt");
                curl("-u", credentials, "-X", "DELETE", files + "moved.txt");
                event(operator, "delete", "/moved.txt");

                curl("-u", USER + ":wrong password", files);
                JsonNode auth = event(operator, "auth_failure", null);
                assertEquals(USER, auth.get("user").asText());
                assertTrue(auth.get("remote").asText().contains("127.0.0.1"), auth.toString());

                String offloadFiles = "http://" + OffloadDemoNetwork.STACK_ADDRESS + ":" + appliance.httpAddress().getPort()
                        + "/files/";
                truncatedDuringOffloadDownload(network, share.resolve("shrinking.bin"), dir.resolve("received.bin"),
                        offloadFiles + "shrinking.bin", credentials);
                JsonNode dma = event(operator, "dma_error", null);
                assertEquals(network.stackInterface(), dma.get("link").asText());
                assertTrue(dma.get("detail").asText().contains("DMA error"), dma.toString());
            }
        }
    }

    /** The first event of {@code type} (for {@code path}, when given), as JSON. */
    private static JsonNode event(MqttRecorder operator, String type, String path) throws Exception {
        String topic = PREFIX + "/" + DEVICE + "/events/" + type;
        MqttRecorder.Received r = operator.await(m -> m.topic().equals(topic)
                && (path == null || parse(m.payload()).path("path").asText().equals(path)), 30, TimeUnit.SECONDS);
        JsonNode event = parse(r.payload());
        assertEquals(type, event.get("type").asText());
        return event;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("an event that is not JSON: " + json, e);
        }
    }

    /** A PUT that announces 1000 bytes, sends 10 and closes its connection. */
    private static void abandonedUpload(Appliance appliance, String name) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        try (Socket socket = new Socket(appliance.httpAddress().getAddress(), appliance.httpAddress().getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /files/" + name + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Basic " + basic
                    + "\r\nContent-Length: 1000\r\n\r\n0123456789").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(500); // the ten bytes reach the temporary before the connection closes
        }
    }

    /**
     * A 32 MiB file downloaded slowly through the offload port and truncated to 1 MiB on the way: the pieces its
     * stack already pinned beyond the new end point at pages that are gone. The connection cannot finish (those
     * segments are never sent), so curl gives up after 20 s.
     */
    private static void truncatedDuringOffloadDownload(OffloadDemoNetwork network, Path file, Path received, String url,
            String credentials) throws Exception {
        byte[] block = new byte[1 << 20];
        new Random(5).nextBytes(block);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (int i = 0; i < 32; i++) {
                out.write(java.nio.ByteBuffer.wrap(block));
            }
        }
        Process curl = new ProcessBuilder(network.inNamespace("curl", "-sS", "--max-time", "20", "--limit-rate", "4M", "-u",
                credentials, "-o", received.toString(), url)).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!Files.exists(received) || Files.size(received) < block.length) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        try (FileChannel shrink = FileChannel.open(file, StandardOpenOption.WRITE)) {
            shrink.truncate(block.length);
        }
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS), "curl ended");
    }

    private static void curl(String... args) throws Exception {
        String[] command = new String[args.length + 3];
        command[0] = "curl";
        command[1] = "-sS";
        command[2] = "-o/dev/null";
        System.arraycopy(args, 0, command, 3, args.length);
        ExternalCommand.run(60, command).requireSuccess(String.join(" ", command));
    }
}
