// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sensors against the real /sys and /proc of the machine running the tests, whatever it has. */
class LiveSysfsTest {

    private static final Path ROOT = Path.of("/");

    @BeforeAll
    static void linuxWithSysfs() {
        assumeTrue(Files.isDirectory(Path.of("/sys/class/net")), "needs Linux sysfs at /sys");
    }

    @Test
    void everyInterfaceOfSysClassNetIsReported() throws IOException {
        List<String> expected;
        try (Stream<Path> entries = Files.list(Path.of("/sys/class/net"))) {
            expected = entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(expected, new NetworkSensors(ROOT).read().stream().map(NicReading::name).toList());
    }

    @Test
    void loopbackCountersCountTheDatagramsWeSend() throws IOException {
        long before = loopback().counters().rxPackets();
        int sent = 50;
        try (DatagramChannel receiver = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel sender = DatagramChannel.open()) {
            for (int i = 0; i < sent; i++) {
                sender.send(ByteBuffer.wrap(new byte[] {(byte) i}), receiver.getLocalAddress());
            }
        }
        long after = loopback().counters().rxPackets();
        assertTrue(after - before >= sent, "lo rx_packets went from " + before + " to " + after + " after " + sent
                + " datagrams");
    }

    @Test
    void theStorageUnderATempDirectoryIsFoundAndItsWritesCounted(@TempDir Path dir) throws IOException {
        StorageSensors storage = new StorageSensors(ROOT);
        StorageReading before = storage.read(dir);
        assertFalse(before.mountPoint().isEmpty(), before.toString());
        assertTrue(dir.toRealPath().startsWith(before.mountPoint()), before.toString());
        if (before.device() == null) {
            assertNotNull(before.unavailable(), "a reading without device must say why: " + before);
            return;
        }
        assertTrue(before.device().sizeBytes() > 0, before.toString());
        int megabytes = 4;
        try (FileChannel file = FileChannel.open(dir.resolve("written"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(1 << 20);
            for (int i = 0; i < megabytes; i++) {
                block.clear();
                file.write(block);
            }
            file.force(true);
        }
        StorageReading after = storage.read(dir);
        long written = after.device().bytesWritten() - before.device().bytesWritten();
        assertTrue(written >= (long) megabytes << 20, "device " + after.device().device() + " counted " + written
                + " bytes written for a " + megabytes + " MiB fsync'd file");
    }

    @Test
    void everyThermalZoneHasATemperatureOrAReason() {
        for (ThermalReading zone : new ThermalSensors(ROOT).read()) {
            assertTrue(zone.milliCelsius() != null ^ zone.error() != null, zone.toString());
        }
    }

    @Test
    void aSnapshotCarriesEverySensor(@TempDir Path dir) {
        SensorSnapshot snapshot = new BoardSensors(ROOT, Clock.systemUTC()).snapshot(List.of(dir));
        assertFalse(snapshot.network().isEmpty());
        assertEquals(1, snapshot.storage().size());
        assertEquals(dir.toString(), snapshot.storage().getFirst().path());
    }

    private static NicReading loopback() {
        return new NetworkSensors(ROOT).read().stream().filter(n -> n.name().equals("lo")).findFirst()
                .orElseThrow(() -> new AssertionError("no lo in /sys/class/net"));
    }
}
