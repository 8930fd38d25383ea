// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.RandomContent;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.Commands;
import org.layerstore.netstack.link.PeerCapture;
import org.layerstore.netstack.relay.Impairment;
import org.layerstore.netstack.relay.RelayCounter;
import org.layerstore.netstack.relay.RelayNetwork;
import org.layerstore.netstack.relay.RelayNetwork.Direction;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.OffloadSettings;

/**
 * 1 GiB through the offload port on the frame-manager link, judged by the client's kernel TCP behind the
 * impairment relay (a process in a namespace of its own, moving frames with AF_PACKET: the stack is never
 * judged by its own wire). Clean: sha256-identical, tshark on the client's interface finds nothing
 * malformed, no bad checksum and no ACK of an unseen segment, the handshake carries MSS, window scale,
 * SACK-permitted and timestamps both ways, and the client's kernel counts no bad segment, challenge ACK or
 * PAWS drop. Through loss, reordering, duplication, corruption and delay: sha256-identical, retransmitted.
 * Afterwards nothing pinned or mapped. The file is random content on the real filesystem under target/,
 * written once and kept for later runs (its seed fixes it). Skips, saying why, without root, the tools, or
 * the emulated frame manager.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OffloadPortThroughRelayTest {

    private static final long GIB = 1L << 30;
    private static final String FILE = "one-GiB.bin";
    /** Shorter than every download here: a body in progress is not idle, however long it takes. */
    private static final int IDLE_SECONDS = 5;
    /** A clean 1 GiB takes 1.5 to 3 minutes here; through the impairments several times that. */
    private static final int CURL_SECONDS = 1500;
    /**
     * Frames captured whole (the handshake and the first ~4 MB, within the capture's buffer, so none is
     * lost), whose TCP checksums tshark verifies.
     */
    private static final String WHOLE_FRAMES = "3000";
    /** Headers only for the whole download: seq/ack analysis and IPv4 checksums on every frame. */
    private static final String HEADER_BYTES = "128";
    /**
     * The client kernel's counters of segments it found bad or suspicious (nstat names): bad checksums and
     * headers, segments out of the window or acknowledging the unsent (challenge ACKs, skipped ACKs), old
     * timestamps (PAWS), and resets it had to send. On a clean wire each of them is the stack's fault.
     */
    private static final List<String> CLIENT_COMPLAINTS = List.of("IpInHdrErrors", "TcpInErrs", "TcpInCsumErrors",
            "TcpOutRsts", "TcpExtPAWSEstab", "TcpExtTCPChallengeACK", "TcpExtTCPSYNChallenge",
            "TcpExtTCPACKSkippedSeq", "TcpExtTCPACKSkippedChallenge", "TcpExtTCPACKSkippedPAWS");

    @TempDir
    static Path dir;

    private static RelayNetwork network;
    private static FrameManagers frameManagers;
    private static HttpFileServer server;
    private static OffloadPort port;
    private static String sha256;
    private static String url;

    @BeforeAll
    static void start() throws Exception {
        String unavailable = RelayNetwork.unavailableReason();
        assumeTrue(unavailable == null, unavailable);
        assumeTrue(Commands.installed("curl"), "needs curl");
        BackendAvailability emulated = EmulatedFrameManager.availability();
        assumeTrue(emulated.available(), emulated.reason());
        Path root = Files.createDirectories(Path.of("target", "relay-share"));
        sha256 = gibibyteFile(root.resolve(FILE), Path.of("target", FILE + ".sha256"));
        network = RelayNetwork.create("lsr", 14);
        server = OffloadTestClients.startServer(dir, root, LimitSettings.defaults().withIdleTimeoutSeconds(IDLE_SECONDS));
        frameManagers = TestFrameManagers.emulated();
        port = server.serveOffload(new OffloadSettings(network.stackInterface(), RelayNetwork.STACK_ADDRESS + "/"
                + RelayNetwork.PREFIX_LENGTH).withWire(OffloadSettings.WIRE_FRAME_MANAGER), frameManagers);
        url = "http://" + RelayNetwork.STACK_ADDRESS + ":" + port.localAddress().getPort() + "/files/" + FILE;
    }

    /** The 1 GiB file's SHA-256, writing the file (and its digest beside) when an earlier run has not. */
    private static String gibibyteFile(Path file, Path digest) throws IOException {
        if (Files.exists(file) && Files.exists(digest) && Files.size(file) == GIB) {
            return Files.readString(digest).strip();
        }
        Files.deleteIfExists(file);
        long started = System.nanoTime();
        String sha = RandomContent.createNew(file, GIB, 1414);
        Files.writeString(digest, sha);
        System.out.printf("wrote %s in %.1f s%n", file, (System.nanoTime() - started) / 1e9);
        return sha;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (frameManagers != null) {
            frameManagers.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    @Order(1)
    void aGibibyteArrivesIdenticalAndTheClientsKernelFindsNothingWrong() throws Exception {
        boolean tshark = Commands.installed("tshark");
        List<String> inClient = List.of(network.inClient());
        PeerCapture whole = null;
        PeerCapture headers = null;
        double seconds;
        Map<String, Long> complaints;
        try {
            if (tshark) {
                whole = PeerCapture.start(inClient, network.clientInterface(), RelayNetwork.STACK_ADDRESS,
                        Path.of("target", "relay-1GiB-first-frames.pcap"), dir.resolve("whole.log"), "-B", "64", "-c",
                        WHOLE_FRAMES);
                headers = PeerCapture.start(inClient, network.clientInterface(), RelayNetwork.STACK_ADDRESS,
                        Path.of("target", "relay-1GiB-headers.pcap"), dir.resolve("headers.log"), "-B", "256", "-s",
                        HEADER_BYTES);
            }
            // Taken once tshark runs: starting, its extcap helpers connect 10 times to closed ports on the
            // namespace's loopback, drawing 10 resets (TcpOutRsts, TcpActiveOpens) per tshark.
            Map<String, Long> before = nstat();
            seconds = download("clean");
            complaints = complaintsSince(before);
            if (tshark) {
                whole.stop();
                headers.stop();
                int httpPort = port.localAddress().getPort();
                assertEquals("", whole.problems(httpPort), "tshark (whole frames): malformed, bad checksums, unseen ACKs");
                long lost = headers.droppedFrames();
                if (lost > 0) {
                    System.out.println("the headers capture lost " + lost + " frames: ACKs of unseen segments not judged");
                }
                assertEquals("", headers.problems(httpPort, lost == 0),
                        "tshark (every header): malformed, bad IPv4 checksums, unseen ACKs");
                String handshake = whole.handshakeOptions();
                System.out.println("handshake (ack, mss, wscale, option kinds, tsval):\n" + handshake);
                for (String line : handshake.split("\n")) {
                    List<String> kinds = List.of(line.split("\t")[3].split(","));
                    assertTrue(kinds.containsAll(List.of("2", "3", "4", "8")), "MSS, window scale, SACK-permitted "
                            + "and timestamps in " + line);
                }
                assertTrue(handshake.lines().anyMatch(l -> l.startsWith("1\t1460\t")), "the SYN-ACK: " + handshake);
            }
        } finally {
            if (whole != null) {
                whole.close();
            }
            if (headers != null) {
                headers.close();
            }
        }
        System.out.printf("1 GiB clean through the relay in %.1f s (%.1f MB/s); client's kernel: %s%n", seconds,
                GIB / seconds / 1e6, complaints);
        assertTrue(complaints.values().stream().allMatch(v -> v == 0), "the client's kernel complained: " + complaints);
    }

    /**
     * Last: after it, duplicates and retransmissions still arriving at the client's closed socket draw
     * resets from its kernel (RFC 9293 §3.10.7.4: data after the close), which the clean test counts.
     */
    @Test
    @Order(3)
    void aGibibyteArrivesIdenticalThroughLossReorderingDuplicationCorruptionAndDelay() throws Exception {
        // As netem on the relay's egress toward the client would delay: one way, 2 ms +- 0.5 ms; the rest both ways.
        Impairment toStack = Impairment.NONE.withLoss(0.005).withReorder(0.01, 3, 10).withDuplicate(0.005)
                .withCorrupt(0.002);
        Impairment toClient = toStack.withDelay(2, 0.5);
        StackCounters counters = port.counters();
        long retransmissions = counters.get(StackCounter.RETRANSMISSIONS);
        network.impair(Direction.TO_CLIENT, toClient);
        network.impair(Direction.TO_STACK, toStack);
        double seconds;
        try {
            seconds = download("impaired");
        } finally {
            network.impair(Direction.TO_CLIENT, Impairment.NONE);
            network.impair(Direction.TO_STACK, Impairment.NONE);
        }
        Map<RelayCounter, Long> relayed = network.counters(Direction.TO_CLIENT);
        long retransmitted = counters.get(StackCounter.RETRANSMISSIONS) - retransmissions;
        System.out.printf("1 GiB through %s in %.1f s (%.1f MB/s): %d retransmissions; relay to client %s, to stack %s;"
                + " stack %s%n", toClient, seconds, GIB / seconds / 1e6, retransmitted, relayed,
                network.counters(Direction.TO_STACK), counters.snapshot());
        for (RelayCounter c : List.of(RelayCounter.LOST, RelayCounter.REORDERED, RelayCounter.DUPLICATED,
                RelayCounter.CORRUPTED)) {
            assertTrue(relayed.get(c) > 0, c + " toward the client: " + relayed);
        }
        assertTrue(retransmitted > 0, "lost and corrupted segments were retransmitted");
    }

    @Test
    @Order(2)
    void aDownloadLongerThanTheIdleTimeoutIsNotIdle() throws Exception {
        // 16 s at curl's rate: the stack's send buffer (4 MiB) and the client's socket buffer (up to 6 MiB)
        // take the first 10 MiB at once, the server writes the rest for 11 s or more, twice the idle timeout.
        long length = 32L << 20;
        long started = System.nanoTime();
        Commands.Result r = Commands.attempt(120, network.inClient("curl", "-sS", "--limit-rate", "2M", "-r",
                "0-" + (length - 1), "-u", TestServers.USER + ":" + TestServers.PASSWORD, "-o", "/dev/null", "-w",
                "%{http_code} %{size_download}", url));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, r.exitCode(), "curl: " + r.output());
        assertEquals("206 " + length, r.output().strip());
        assertTrue(seconds > 2 * IDLE_SECONDS, "the download outlasted the idle timeout: " + seconds + " s");
        OffloadTestClients.awaitNothingPinned(port.counters(), port.linkCounters());
    }

    /** curl in the client's namespace downloads the file to target/; it must be sha256-identical; nothing pinned after. */
    private static double download(String name) throws Exception {
        Path out = Path.of("target", "relay-download-" + name + ".bin").toAbsolutePath();
        Files.deleteIfExists(out);
        long started = System.nanoTime();
        try {
            Commands.Result r = Commands.attempt(CURL_SECONDS + 30, network.inClient("curl", "-sS", "--max-time",
                    Integer.toString(CURL_SECONDS), "-u", TestServers.USER + ":" + TestServers.PASSWORD, "-o",
                    out.toString(), "-w", "%{http_code}", url));
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(0, r.exitCode(), "curl: " + r.output() + "; stack " + port.counters().snapshot());
            assertEquals("200", r.output().strip());
            assertEquals(GIB, Files.size(out));
            assertEquals(sha256, sha256(out), "the body differs from the file");
            OffloadTestClients.awaitNothingPinned(port.counters(), port.linkCounters());
            return seconds;
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = RandomContent.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** How much each of {@link #CLIENT_COMPLAINTS} grew since {@code before}. */
    private static Map<String, Long> complaintsSince(Map<String, Long> before) {
        Map<String, Long> after = nstat();
        Map<String, Long> complaints = new LinkedHashMap<>();
        for (String counter : CLIENT_COMPLAINTS) {
            complaints.put(counter, after.getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L));
        }
        return complaints;
    }

    /** The client namespace's absolute kernel counters ({@code nstat -asz}: without touching nstat's history). */
    private static Map<String, Long> nstat() {
        Map<String, Long> counters = new LinkedHashMap<>();
        String out = Commands.run(10, network.inClient("nstat", "-asz"));
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[1].matches("\\d+")) {
                counters.put(f[0], Long.parseLong(f[1]));
            }
        }
        return counters;
    }
}
