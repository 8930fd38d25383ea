// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.datapath.testing.TestFiles;

/** One suite every transmit engine passes: real files, real loopback sockets, byte-exact SHA-256. */
class TransmitEngineContractTest {

    private static final long MIB = 1024 * 1024;
    /** 256 MiB and a partial last page, so "the last partial page" is a real case. */
    private static final long SIZE = 256 * MIB + 777;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final TransmitEngines ENGINES = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));

    @TempDir
    static Path dir;
    static Path file;
    static String fileSha256;

    @BeforeAll
    static void createFile() throws IOException {
        file = dir.resolve("256mib.bin");
        fileSha256 = TestFiles.create(file, SIZE, 4);
    }

    static Stream<String> engines() {
        return Stream.concat(ENGINES.all().stream().map(TransmitEngine::name), Stream.of(AutoEngine.NAME));
    }

    static Stream<Arguments> enginesAndRanges() {
        List<FileRange> ranges = List.of(
                new FileRange(0, 1),
                new FileRange(12_345, 1),
                new FileRange(4095, 2),
                new FileRange(4096, 4096),
                new FileRange(8191, 4097),
                new FileRange(1, 3 * MIB + 5),
                new FileRange(SIZE - 777, 777),
                new FileRange(SIZE - 1, 1),
                new FileRange(SIZE / 2 + 3, SIZE / 2 - 3),
                new FileRange(100, 0));
        return engines().flatMap(engine -> ranges.stream().map(range -> Arguments.of(engine, range)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void sendsTheWholeFileByteExact(String name) throws IOException {
        TransmitEngine engine = availableEngine(name);
        EngineStatisticsSnapshot before = ENGINES.engine(name).statistics().snapshot();
        try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
            try (SocketChannel socket = receiver.connect()) {
                assertEquals(SIZE, Transfers.sendAll(engine.open(in, FileRange.whole(SIZE)), SocketDescriptor.of(socket)));
            }
            LoopbackReceiver.Received received = receiver.await(TIMEOUT);
            assertEquals(SIZE, received.bytes());
            assertEquals(fileSha256, received.sha256());
        }
        EngineStatisticsSnapshot after = ENGINES.engine(name).statistics().snapshot();
        assertEquals(1, after.transfers() - before.transfers());
        assertEquals(0, after.failures() - before.failures());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndRanges")
    void sendsRangesByteExact(String name, FileRange range) throws IOException {
        TransmitEngine engine = availableEngine(name);
        String expected = TestFiles.sha256(file, range.offset(), range.length());
        try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
            try (SocketChannel socket = receiver.connect()) {
                assertEquals(range.length(), Transfers.sendAll(engine.open(in, range), SocketDescriptor.of(socket)));
            }
            LoopbackReceiver.Received received = receiver.await(TIMEOUT);
            assertEquals(range.length(), received.bytes());
            assertEquals(expected, received.sha256());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void sendsToAJdkSocketChannelWithoutItsDescriptorToo(String name) throws IOException {
        TransmitEngine engine = availableEngine(name);
        FileRange range = new FileRange(4093, 5 * MIB + 11);
        String expected = TestFiles.sha256(file, range.offset(), range.length());
        try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
            try (SocketChannel socket = receiver.connect()) {
                assertEquals(range.length(), Transfers.sendAll(engine.open(in, range), socket));
            }
            assertEquals(expected, receiver.await(TIMEOUT).sha256());
        }
    }

    /** As a Netty event loop drives a FileRegion: non-blocking socket, write when writable, 0 means "later". */
    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aNonBlockingSocketIsServedWhenWritableAndZeroMeansLater(String name) throws IOException {
        TransmitEngine engine = availableEngine(name);
        FileRange range = new FileRange(777, 24 * MIB + 1);
        String expected = TestFiles.sha256(file, range.offset(), range.length());
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file);
             Selector selector = Selector.open()) {
            try (SocketChannel socket = receiver.connect(); Transfer transfer = engine.open(in, range)) {
                socket.configureBlocking(false);
                socket.register(selector, SelectionKey.OP_WRITE);
                SocketDescriptor target = SocketDescriptor.of(socket);
                while (!transfer.isDone()) {
                    assertTrue(System.nanoTime() < deadline, name + " stalled after " + transfer.transferred() + " bytes");
                    if (transfer.transferTo(target) == 0) {
                        selector.select(100);
                        selector.selectedKeys().clear();
                    }
                }
                assertEquals(range.length(), transfer.transferred());
            }
            assertEquals(expected, receiver.await(TIMEOUT).sha256());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void refusesARangePastTheEndOfTheFile(String name) throws IOException {
        TransmitEngine engine = availableEngine(name);
        try (OpenFile in = OpenFile.read(file)) {
            IOException e = assertThrows(IOException.class, () -> engine.open(in, new FileRange(SIZE - 10, 11)));
            assertTrue(e.getMessage().contains("past the end"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("engines")
    void aFileTruncatedWhileSendingFailsTheTransferAndTheEngineKeepsWorking(String name) throws IOException {
        TransmitEngine engine = availableEngine(name);
        Path victim = dir.resolve("truncated-" + name + ".bin");
        TestFiles.create(victim, 64 * MIB, 9);
        AtomicBoolean truncated = new AtomicBoolean();
        try (OpenFile in = OpenFile.read(victim);
             LoopbackReceiver receiver = LoopbackReceiver.hashing(bytes -> {
                 if (bytes >= MIB && truncated.compareAndSet(false, true)) {
                     truncateTo(victim, 32 * MIB);
                 }
             })) {
            Transfer transfer = engine.open(in, FileRange.whole(64 * MIB));
            try (SocketChannel socket = receiver.connect()) {
                IOException e = assertThrows(IOException.class, () -> Transfers.sendAll(transfer, SocketDescriptor.of(socket)));
                assertTrue(e instanceof FileShrankException, "expected a FileShrankException, got " + e);
                assertTrue(e.getMessage().contains("shrank to 33554432 bytes"), e.getMessage());
            }
            assertTrue(receiver.await(TIMEOUT).bytes() <= 32 * MIB);
        }
        sendsRangesByteExact(name, new FileRange(7, 100_000));
    }

    private static void truncateTo(Path path, long size) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new IllegalStateException("cannot truncate " + path, e);
        }
    }

    private static TransmitEngine availableEngine(String name) {
        TransmitEngine engine = ENGINES.engine(name);
        assumeTrue(engine.availability().available(), () -> name + " skipped: " + engine.availability());
        return engine;
    }
}
