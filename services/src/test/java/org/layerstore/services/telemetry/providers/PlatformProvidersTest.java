// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.engine.Transfers;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.fm.Confirmations;
import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.TxTarget;
import org.layerstore.hal.libc.Libc;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.services.platform.Platform;
import org.layerstore.services.telemetry.metrics.Metric;
import org.layerstore.services.telemetry.metrics.MetricsSource;
import org.layerstore.services.telemetry.metrics.ProcessMetrics;
import org.layerstore.services.telemetry.metrics.TelemetryProviders;
import org.layerstore.services.telemetry.publish.PayloadEncoder;
import org.layerstore.services.telemetry.publish.Sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The providers a running appliance builds, fed into telemetry's own sources and encoder: the JSON carries the
 * detected board, the live backend, the fixture board's temperature, NIC and disk counters, the bytes of a real
 * transfer through an engine and the counters of a real (emulated) frame-manager portal.
 */
class PlatformProvidersTest {

    @TempDir
    Path dir;

    private static Platform platform(String fixture) {
        return Platform.detect(ApplianceConfig.defaults(), Path.of(System.getProperty("layerstore.boardFixtures"), fixture));
    }

    private static JsonNode sample(TelemetryProviders providers) throws IOException {
        List<MetricsSource> sources = new ArrayList<>();
        sources.add(new ProcessMetrics(providers.identity(), "test"));
        sources.addAll(providers.sources());
        List<Metric> metrics = new ArrayList<>();
        sources.forEach(s -> metrics.addAll(s.sample()));
        byte[] json = new PayloadEncoder("test-device").sample(new Sample(1, Instant.now(), metrics));
        return JsonMapper.builder().build().readTree(json).get("metrics");
    }

    @Test
    void theTelemetryJsonCarriesTheBoardItsSensorsTheEnginesAndTheFrameManager() throws Exception {
        Platform platform = platform("ls1046ardb");
        TransmitEngines engines = TransmitEngines.standard(platform.datapath());
        // The fixture's mountinfo puts /srv/layerstore on sda1 (8:1).
        List<ShareSettings> shares = List.of(new ShareSettings("files", Path.of("/srv/layerstore/files"), true));
        try (FrameManagers frameManagers = platform.frameManagers()) {
            TelemetryProviders providers = PlatformProviders.of(platform, engines, frameManagers, shares);

            JsonNode before = sample(providers);
            assertEquals("LS1046A RDB Board (ls1046ardb)", before.at("/system/board/value").asText());
            assertEquals("LS1046A", before.at("/system/soc/value").asText());
            assertEquals("emulated", before.at("/system/hal_backend/value").asText());
            // The fixture's /proc/sys/kernel/hostname, /etc/os-release IMAGE_VERSION and rauc.slot= in /proc/cmdline.
            assertEquals("ls1046ardb", before.at("/system/host/value").asText());
            assertEquals("0.1.0-20261203", before.at("/system/firmware_version/value").asText());
            assertEquals("B", before.at("/system/slot/value").asText());
            assertEquals(47.0, before.at("/board/soc_temperature/value").asDouble(), "cluster-thermal, the hottest zone");
            assertEquals(123456789, before.at("/nic.eth0/rx_bytes/value").asLong());
            assertEquals(987654321, before.at("/nic.eth0/tx_bytes/value").asLong());
            assertEquals("sda1", before.at("/disk.files/device/value").asText());
            assertTrue(before.at("/disk.files/read_bytes/value").asLong() > 0);
            assertEquals(0, before.at("/engine.sendfile/bytes/value").asLong());
            List<String> groups = new ArrayList<>(engines.all().stream().map(e -> e.name()).toList());
            engines.receivers().forEach(r -> groups.add(r.statistics().engine()));
            assertEquals(groups, engineGroups(before), "one group per transmit and receive engine, auto excluded");
            assertTrue(groups.containsAll(List.of("splice-receive", "copy-receive")), groups.toString());
            assertTrue(before.path("frame_manager").isMissingNode(), "no portal open, no frame-manager group");

            long sent = sendThroughEngine(engines, "sendfile", 3 * 1024 * 1024 + 17);
            int port = platform.datapath().frameManager().ports().getFirst();
            try (Arena arena = Arena.ofShared();
                    OpenFile wire = OpenFile.createNew(dir.resolve("wire.pcap"));
                    FrameManagers.Portal portal = frameManagers.open(platform.datapath().frameManager().withSmmu(true))) {
                sendOneFrame(portal.frameManager(), port, wire, arena);

                JsonNode after = sample(providers);
                assertEquals(sent, after.at("/engine.sendfile/bytes/value").asLong());
                assertEquals(0, after.at("/engine.sendfile/cpu_copied_bytes/value").asLong());
                assertEquals(0, after.at("/engine.copy/bytes/value").asLong());
                assertEquals(1, after.at("/frame_manager/frames/value").asLong());
                assertEquals(0, after.at("/frame_manager/dma_errors/value").asLong());
            }
            assertTrue(sample(providers).path("frame_manager").isMissingNode(), "the portal closed, the group is gone");
        }
    }

    @Test
    void aBoardWithoutThermalZonesPublishesNoTemperature() throws Exception {
        Path bare = Files.createDirectories(dir.resolve("sys/class/net"));
        SysfsBoardReadings sensors = new SysfsBoardReadings(dir, List.of("cluster-thermal"), List.of());
        assertTrue(sensors.socTemperatureCelsius().isEmpty());
        assertTrue(sensors.nicCounters().isEmpty(), "no interfaces under " + bare);
        assertTrue(sensors.disks().isEmpty());
    }

    @Test
    void aHostWhoseZonesTheProfileDoesNotDeclareReportsItsHottestZone() {
        Platform generic = platform("generic-linux-x86");
        SysfsBoardReadings sensors = new SysfsBoardReadings(generic.root(), generic.profile().thermalZones(), List.of());
        double hottest = new org.layerstore.board.sensors.ThermalSensors(generic.root()).read().stream()
                .filter(z -> z.milliCelsius() != null).mapToDouble(z -> z.celsius()).max().orElseThrow();
        assertEquals(hottest, sensors.socTemperatureCelsius().orElseThrow());
        assertFalse(sensors.nicCounters().isEmpty());
    }

    @Test
    void noPortalOpensWhenTheAppliancesFrameManagersAreClosed() {
        Platform platform = platform("generic-linux-x86");
        FrameManagers frameManagers = platform.frameManagers();
        FrameManagers.Portal portal = frameManagers.open();
        assertEquals(1, frameManagers.openCount());
        portal.close();
        assertEquals(0, frameManagers.openCount());
        frameManagers.close();
        var e = assertThrows(IllegalStateException.class, frameManagers::open);
        assertTrue(e.getMessage().contains("stopping"), e.getMessage());
    }

    private static List<String> engineGroups(JsonNode metrics) {
        List<String> names = new ArrayList<>();
        metrics.properties().forEach(p -> {
            if (p.getKey().startsWith("engine.")) {
                names.add(p.getKey().substring("engine.".length()));
            }
        });
        return names;
    }

    /** Sends a file of {@code size} random bytes through {@code engine} to a loopback TCP peer that checks the count. */
    private long sendThroughEngine(TransmitEngines engines, String engine, int size) throws Exception {
        byte[] data = new byte[size];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("payload.bin"), data);
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel peer = server.accept(); InputStream in = Channels.newInputStream(peer)) {
                    return in.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long sent;
            try (OpenFile open = OpenFile.read(file)) {
                sent = Transfers.sendAll(engines.engine(engine).open(open, FileRange.whole(size)), client);
            }
            client.shutdownOutput();
            assertEquals(size, received.get(30, java.util.concurrent.TimeUnit.SECONDS));
            return sent;
        }
    }

    /** Sends one 60-byte contiguous frame through an SMMU-mode portal (no page frame numbers needed). */
    private static void sendOneFrame(FrameManager fm, int port, OpenFile wire, Arena arena) {
        MemorySegment memory = arena.allocate(Libc.pageSize(), Libc.pageSize());
        MemorySegment descriptors = arena.allocate(FrameDescriptor.BYTES, 8);
        DmaRegion region = fm.registerDma(memory, null);
        int confirm = fm.createConfirmQueue(1);
        int tx = fm.createTxQueue(port, confirm);
        fm.bindPort(port, TxTarget.pcap(wire.fd()));
        FrameDescriptor.at(descriptors, 0).contiguous(region.busBase(), 0, 60);
        assertEquals(1, fm.enqueue(tx, descriptors, 1));
        assertTrue(fm.drain(Duration.ofSeconds(10)), "the emulated hardware did not finish");
        assertEquals(1, fm.dequeueConfirmations(confirm, Confirmations.allocate(arena, 4)));
    }
}
