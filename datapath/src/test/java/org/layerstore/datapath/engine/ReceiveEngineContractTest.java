// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.testing.TestFiles;

/** Uploads in reverse: a real client socket sends file bytes, every receive engine writes them into a file. */
class ReceiveEngineContractTest {

    private static final long MIB = 1024 * 1024;
    private static final long SIZE = 256 * MIB + 777;
    private static final TransmitEngines ENGINES = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));

    @TempDir
    static Path dir;
    static Path source;
    static String sourceSha256;

    @BeforeAll
    static void createFile() throws IOException {
        source = dir.resolve("upload-source.bin");
        sourceSha256 = TestFiles.create(source, SIZE, 11);
    }

    static Stream<Arguments> receiversAndRanges() {
        List<FileRange> ranges = List.of(FileRange.whole(SIZE), new FileRange(0, 1), new FileRange(4095, 2),
                new FileRange(12_345, 3 * MIB + 1), new FileRange(SIZE - 777, 777));
        return ENGINES.receivers().stream().flatMap(r -> Stream.of(true, false)
                .flatMap(descriptor -> ranges.stream().map(range -> Arguments.of(r.name(), descriptor, range))));
    }

    @ParameterizedTest(name = "{0} descriptor={1} {2}")
    @MethodSource("receiversAndRanges")
    void anUploadLandsInTheFileByteExact(String name, boolean descriptor, FileRange range) throws Exception {
        ReceiveEngine engine = receiver(name);
        Path target = dir.resolve("upload-" + name + "-" + descriptor + "-" + range.offset() + ".bin");
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<Void> client = sendInBackground(server, range);
            try (SocketChannel connection = server.accept(); OpenFile out = OpenFile.write(target);
                 Receive receive = engine.open(out, 0, range.length())) {
                ReadableByteChannel from = descriptor ? SocketDescriptor.of(connection) : connection;
                while (!receive.isDone()) {
                    receive.receiveFrom(from);
                }
            }
            client.get(60, TimeUnit.SECONDS);
        }
        String expected = range.length() == SIZE ? sourceSha256 : TestFiles.sha256(source, range.offset(), range.length());
        assertEquals(expected, TestFiles.sha256(target, 0, range.length()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("receiverNames")
    void aPeerThatClosesEarlyFailsTheUploadNamingTheCounts(String name) throws Exception {
        ReceiveEngine engine = receiver(name);
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            CompletableFuture<Void> client = sendInBackground(server, new FileRange(0, 1000));
            try (SocketChannel connection = server.accept(); OpenFile out = OpenFile.write(dir.resolve("short-" + name));
                 Receive receive = engine.open(out, 0, 5000)) {
                ReadableByteChannel from = SocketDescriptor.of(connection);
                EOFException e = assertThrows(EOFException.class, () -> {
                    for (int i = 0; i < 10_000 && !receive.isDone(); i++) {
                        receive.receiveFrom(from);
                    }
                });
                assertTrue(e.getMessage().endsWith("after 1000 of 5000 upload bytes"), e.getMessage());
            }
            client.get(60, TimeUnit.SECONDS);
        }
    }

    static Stream<String> receiverNames() {
        return ENGINES.receivers().stream().map(ReceiveEngine::name);
    }

    private static CompletableFuture<Void> sendInBackground(ServerSocketChannel server, FileRange range) {
        return CompletableFuture.runAsync(() -> {
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); FileChannel in = FileChannel.open(source)) {
                long sent = 0;
                while (sent < range.length()) {
                    sent += in.transferTo(range.offset() + sent, range.length() - sent, client);
                }
            } catch (IOException e) {
                throw new IllegalStateException("upload client failed", e);
            }
        });
    }

    private static ReceiveEngine receiver(String name) {
        ReceiveEngine engine = ENGINES.receivers().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
        assumeTrue(engine.availability().available(), () -> name + " skipped: " + engine.availability());
        return engine;
    }
}
