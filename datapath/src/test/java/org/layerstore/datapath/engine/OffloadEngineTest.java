// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.frames.ChecksumMode;
import org.layerstore.datapath.mapping.Sysctl;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.datapath.testing.TestFiles;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.libc.Libc;

/**
 * The offload engine through the emulated frame manager, checked from outside: the bytes on the socket,
 * and the frames the emulator captured, decoded by tshark as TCP segments with valid checksums whose
 * reassembled stream is the file range.
 */
class OffloadEngineTest {

    private static final long SIZE = 3L * 1024 * 1024 + 333;

    @TempDir
    static Path dir;
    static Path file;

    @BeforeAll
    static void createFile() throws IOException {
        file = dir.resolve("offload.bin");
        TestFiles.create(file, SIZE, 21);
    }

    /** Portals as the LS1046A-RDB's appliance opens them: its TX ports, its 1024-frame TX ring. */
    static FrameManagers ls1046ardbPortals() {
        return FrameManagers.choose(FrameManagerBackends.AUTO, BoardDatapath.builtIn("ls1046ardb").frameManager());
    }

    static Stream<Arguments> boards() {
        DatapathLimits ls1046a = DatapathLimits.ls1046a();
        DatapathLimits smmu = new DatapathLimits(1522, 64, 16, 20, 40, false, DatapathLimits.BusAddressing.SMMU_TRANSLATED);
        return Stream.of(
                Arguments.of("ls1046a", ls1046a, ChecksumMode.HARDWARE_DTC),
                Arguments.of("ls1046a", ls1046a, ChecksumMode.SOFTWARE),
                Arguments.of("ls1046a-jumbo", ls1046a.withMacMaxFrameBytes(9600), ChecksumMode.HARDWARE_DTC),
                Arguments.of("ls1043a-a050385", DatapathLimits.ls1043a(), ChecksumMode.HARDWARE_DTC),
                Arguments.of("smmu", smmu, ChecksumMode.SOFTWARE));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("boards")
    void capturedFramesAreValidTcpSegmentsWhoseStreamIsTheFileRange(String board, DatapathLimits limits, ChecksumMode checksum)
            throws Exception {
        assumeTrue(tsharkPresent(), "tshark is not installed (test-bench/setup/debian-packages.txt lists it)");
        Path captures = Files.createDirectories(dir.resolve("captures-" + board + "-" + checksum));
        FileRange range = new FileRange(4093, 2L * 1024 * 1024 + 7);
        String expected = TestFiles.sha256(file, range.offset(), range.length());
        try (OffloadEngine engine = new OffloadEngine(limits, ls1046ardbPortals(), OffloadSettings.defaults().withChecksum(checksum)
                .withCaptureDirectory(captures))) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
                try (SocketChannel socket = receiver.connect()) {
                    assertEquals(range.length(), Transfers.sendAll(engine.open(in, range), SocketDescriptor.of(socket)));
                }
                assertEquals(expected, receiver.await(Duration.ofSeconds(60)).sha256());
            }
            EngineStatisticsSnapshot stats = engine.statistics().snapshot();
            int segment = limits.maxSegmentPayload();
            long frames = (range.length() + segment - 1) / segment;
            assertEquals(frames, stats.frames());
            assertEquals(range.length(), stats.bytes());
            assertEquals(limits.erratumA050385() ? range.length() : 0, stats.cpuCopiedBytes(),
                    "only A050385 bounces cost a CPU copy");

            List<Path> pcaps;
            try (Stream<Path> listed = Files.list(captures)) {
                pcaps = listed.toList();
            }
            assertEquals(1, pcaps.size());
            Path pcap = pcaps.getFirst();
            List<String> segments = tshark(pcap, "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                    "-T", "fields", "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "tcp.len");
            assertEquals(frames, segments.size());
            long payload = 0;
            for (String line : segments) {
                String[] f = line.split("\t");
                assertEquals("1", f[0], "IPv4 checksum good: " + line);
                assertEquals("1", f[1], "TCP checksum good: " + line);
                assertTrue(Integer.parseInt(f[2]) <= segment, line);
                payload += Long.parseLong(f[2]);
            }
            assertEquals(range.length(), payload);
            assertEquals(List.of(), tshark(pcap, "-Y", "tcp.analysis.retransmission || tcp.analysis.out_of_order"
                    + " || tcp.analysis.lost_segment || _ws.malformed"));
            assertEquals(expected, sha256(followStream(pcap)));
        }
    }

    /**
     * transferTo never waits for the frame manager: against a peer that does not read (small socket
     * buffers, so the emulated wire stalls and confirmations stop), twenty calls return 0 at once (the
     * engine used to wait up to 200 ms in each), the completion descriptor stays quiet, and as soon as the
     * peer reads it becomes readable; driven by that descriptor alone the transfer completes byte-exact.
     */
    @Test
    void transferToReturnsAtOnceAndTheCompletionDescriptorSaysWhenToCallAgain() throws Exception {
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), ls1046ardbPortals(), OffloadSettings.defaults())) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            try (ServerSocketChannel listener = ServerSocketChannel.open()) {
                listener.setOption(StandardSocketOptions.SO_RCVBUF, 64 * 1024);
                listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                     SocketChannel peer = listener.accept();
                     OpenFile in = OpenFile.read(file);
                     Transfer transfer = engine.open(in, FileRange.whole(SIZE))) {
                    client.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
                    SocketDescriptor target = SocketDescriptor.of(client);
                    AsyncCompletion device = assertInstanceOf(AsyncCompletion.class, transfer);
                    assertFalse(device.awaitingCompletions(), "nothing sent yet");
                    boolean stalled = false;
                    for (int round = 0; round < 10_000 && !stalled; round++) {
                        if (transfer.transferTo(target) == 0) {
                            assertTrue(device.awaitingCompletions(), "a 0 with frames in flight");
                            // Quiet for 500 ms, and nothing below the notifier's threshold either.
                            stalled = !readable(device.completionFd(), 500) && transfer.transferTo(target) == 0;
                        }
                    }
                    assertTrue(stalled, "the wire stalled on the unread socket after " + transfer.transferred() + " bytes");
                    long start = System.nanoTime();
                    for (int i = 0; i < 20; i++) {
                        assertEquals(0, transfer.transferTo(target));
                    }
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(millis < 1000, "20 calls took " + millis + " ms: transferTo waited for the hardware");
                    assertFalse(readable(device.completionFd(), 200), "no confirmation while the wire is stalled");

                    MessageDigest sha = MessageDigest.getInstance("SHA-256");
                    CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> drain(peer, sha, SIZE));
                    assertTrue(readable(device.completionFd(), 10_000), "readable once the peer reads");
                    for (int round = 0; round < 1_000_000 && !transfer.isDone(); round++) {
                        if (transfer.transferTo(target) == 0) {
                            assertTrue(device.awaitingCompletions());
                            assertTrue(readable(device.completionFd(), 10_000), "a confirmation within 10 s");
                        }
                    }
                    assertEquals(SIZE, transfer.transferred());
                    assertFalse(device.awaitingCompletions(), "every frame confirmed");
                    assertEquals(SIZE, received.get(60, TimeUnit.SECONDS));
                    assertEquals(TestFiles.sha256(file, 0, SIZE), HexFormat.of().formatHex(sha.digest()));
                }
            }
        }
    }

    private static boolean readable(int fd, int millis) {
        return Libc.awaitReadable(fd, millis);
    }

    private static long drain(SocketChannel peer, MessageDigest sha, long expected) {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long total = 0;
        try {
            while (total < expected) {
                buffer.clear();
                int n = peer.read(buffer);
                if (n < 0) {
                    break;
                }
                sha.update(buffer.flip());
                total += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return total;
    }

    /**
     * A file truncated under frames in flight: FMan cannot read their pages (a DMA error), sends them to the
     * port's error queue, and the engine drains it, freeing each errored frame's DMA buffer exactly once: as many
     * frames freed from the error queue as the hardware counted DMA errors, and the whole pool free again.
     */
    @Test
    void framesFmanCouldNotSendComeBackOnThePortsErrorQueueAndEachBufferIsFreedOnce() throws Exception {
        FrameManagers portals = ls1046ardbPortals();
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), portals, OffloadSettings.defaults())) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            Path victim = dir.resolve("errored.bin");
            TestFiles.create(victim, 16L * 1024 * 1024, 5);
            AtomicBoolean truncated = new AtomicBoolean();
            try (OpenFile in = OpenFile.read(victim);
                 LoopbackReceiver receiver = LoopbackReceiver.hashing(bytes -> {
                     if (bytes >= 1024 * 1024 && truncated.compareAndSet(false, true)) {
                         truncate(victim, 1024 * 1024 + 4096);
                     }
                 });
                 SocketChannel socket = receiver.connect()) {
                Transfer transfer = engine.open(in, FileRange.whole(16L * 1024 * 1024));
                assertThrows(IOException.class, () -> Transfers.sendAll(transfer, SocketDescriptor.of(socket)));
            }
            long dmaErrors = portals.counters().getFirst().dmaErrors();
            assertTrue(dmaErrors > 0, "frames past the new end were in flight");
            assertEquals(dmaErrors, engine.erroredFramesFreed());
            assertEquals(engine.bufferCount(), engine.freeBuffers(), "every DMA buffer back in its pool, none twice");

            try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file);
                 SocketChannel socket = receiver.connect()) {
                FileRange range = new FileRange(10, 300_000);
                assertEquals(range.length(), Transfers.sendAll(engine.open(in, range), SocketDescriptor.of(socket)));
                socket.shutdownOutput();
                assertEquals(TestFiles.sha256(file, range.offset(), range.length()),
                        receiver.await(Duration.ofSeconds(60)).sha256(), "the port works again after its errors");
            }
            assertEquals(engine.bufferCount(), engine.freeBuffers());
        }
    }

    /**
     * On a hardware backend the engine is unavailable while compaction may move mlocked pages: the kernel setting
     * is read from a sysctl tree of real files (vm/compact_unevictable_allowed at 1, then 0). The emulated FMan
     * reads by virtual address, so it does not care.
     */
    @Test
    void aHardwareBackendNeedsPinnedPagesThatCompactionLeavesInPlace() throws Exception {
        Path sysctl = Files.createDirectories(dir.resolve("sysctl/vm"));
        Files.writeString(sysctl.resolve("compact_unevictable_allowed"), "1\n");
        FrameManagers hardware = new FrameManagers(new BackendAvailability(FrameManagerBackends.USDPAA, true,
                "a board's portals"), BoardDatapath.builtIn("ls1046ardb").frameManager());
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), hardware, OffloadSettings.defaults(),
                new Sysctl(dir.resolve("sysctl")))) {
            assumeTrue(!engine.availability().reason().contains("pagemap"), engine.availability()::reason);
            assertFalse(engine.availability().available());
            assertEquals("pinned pages may move on this kernel: vm.compact_unevictable_allowed is 1: compaction may "
                    + "migrate mlocked pages, so a physical address given to the hardware would not hold; set it to 0 "
                    + "(the image's /etc/sysctl.d/60-layerstore-dma.conf does)", engine.availability().reason());
        }
        Files.writeString(sysctl.resolve("compact_unevictable_allowed"), "0\n");
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), hardware, OffloadSettings.defaults(),
                new Sysctl(dir.resolve("sysctl")))) {
            assertTrue(engine.availability().available(), engine.availability()::reason);
        }
        Files.writeString(sysctl.resolve("compact_unevictable_allowed"), "1\n");
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), ls1046ardbPortals(),
                OffloadSettings.defaults(), new Sysctl(dir.resolve("sysctl")))) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            assertTrue(engine.availability().reason().startsWith("frame manager backend emulated"));
        }
    }

    /**
     * The debug mode catches a pinned page whose frame changed: the file's second half is truncated and written
     * again while the first is sent, so those pages of the mapping leave their frames (truncation unmaps even
     * mlocked pages; the same bytes come back in new page-cache pages). The next burst's
     * check sees it and fails the transfer as a DMA error, logged, counted and reported, and every DMA buffer
     * comes back.
     */
    @Test
    void verifyingPinsFailsTheTransferWhenAPinnedPageMoved() throws Exception {
        Path moving = dir.resolve("moving.bin");
        long size = 16L * 1024 * 1024;
        TestFiles.create(moving, size, 8);
        byte[] content = Files.readAllBytes(moving);
        List<String> reported = new ArrayList<>();
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), ls1046ardbPortals(),
                OffloadSettings.defaults().withVerifyPins(true))) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            engine.onDmaError((name, what) -> reported.add(what));
            AtomicBoolean rewritten = new AtomicBoolean();
            try (OpenFile in = OpenFile.read(moving);
                 LoopbackReceiver receiver = LoopbackReceiver.hashing(bytes -> {
                     if (bytes >= 1024 * 1024 && rewritten.compareAndSet(false, true)) {
                         // The second half gets new page-cache pages, far ahead of the frames in flight.
                         truncate(moving, size / 2);
                         try {
                             Files.write(moving, java.util.Arrays.copyOfRange(content, (int) (size / 2), (int) size),
                                     StandardOpenOption.APPEND);
                         } catch (IOException e) {
                             throw new UncheckedIOException(e);
                         }
                     }
                 });
                 SocketChannel socket = receiver.connect()) {
                Transfer transfer = engine.open(in, FileRange.whole(size));
                IOException e = assertThrows(IOException.class, () -> Transfers.sendAll(transfer, SocketDescriptor.of(socket)));
                assertTrue(e.getMessage().startsWith("DMA error: pinned page "), e.getMessage());
                assertTrue(e.getMessage().contains("(file offset " + size / 2 + ") moved from page frame 0x"), e.getMessage());
            }
            assertEquals(1, engine.pinsMoved());
            assertEquals(1, reported.stream().filter(r -> r.contains("moved from page frame")).count(), reported.toString());
            assertEquals(engine.bufferCount(), engine.freeBuffers());
        }
    }

    private static void truncate(Path path, long size) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aJdkChannelWithoutDescriptorIsServedFromTheMappingAndRecordedAsAFallback() throws Exception {
        try (OffloadEngine engine = new OffloadEngine(DatapathLimits.ls1046a(), ls1046ardbPortals(), OffloadSettings.defaults())) {
            assumeTrue(engine.availability().available(), engine.availability()::toString);
            try (LoopbackReceiver receiver = LoopbackReceiver.hashing(); OpenFile in = OpenFile.read(file)) {
                try (SocketChannel socket = receiver.connect()) {
                    Transfers.sendAll(engine.open(in, FileRange.whole(SIZE)), socket);
                }
                assertEquals(TestFiles.sha256(file, 0, SIZE), receiver.await(Duration.ofSeconds(60)).sha256());
            }
            assertEquals(1L, engine.statistics().snapshot().fallbacks().get(OffloadTransfer.NO_DESCRIPTOR));
        }
    }

    @Test
    void aRangeThatCannotBePinnedIsRefusedWithTheMemlockLimitSoAutoCanFallBack() throws Exception {
        assumeTrue(Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals("0")), "needs root for setpriv");
        // Keep CAP_SYS_ADMIN (PFNs visible) but drop CAP_IPC_LOCK, so the 2 MiB memlock limit applies to the 3 MiB file.
        List<String> command = List.of("prlimit", "--memlock=2097152", "setpriv", "--inh-caps=-all",
                "--bounding-set=-ipc_lock", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                OffloadProbe.class.getName(), file.toString());
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.startsWith("refused: mlock of " + SIZE + " bytes of"), output);
        assertTrue(output.contains("RLIMIT_MEMLOCK is 2097152 bytes"), output);
    }

    private static byte[] followStream(Path pcap) throws Exception {
        List<String> lines = tshark(pcap, "-q", "-z", "follow,tcp,raw,0");
        StringBuilder hex = new StringBuilder();
        boolean data = false;
        for (String line : lines) {
            if (line.startsWith("Node 1:")) {
                data = true;
            } else if (data && line.startsWith("=====")) {
                break;
            } else if (data) {
                hex.append(line.trim());
            }
        }
        return HexFormat.of().parseHex(hex);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static List<String> tshark(Path pcap, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString()));
        command.addAll(List.of(options));
        Path out = Files.createTempFile(dir, "tshark", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, process.exitValue(), "tshark " + command);
        return Files.readAllLines(out, StandardCharsets.UTF_8);
    }

    private static boolean tsharkPresent() {
        try {
            return new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start().waitFor(30, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
