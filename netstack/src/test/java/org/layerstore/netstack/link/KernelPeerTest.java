// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.tcp.TcpState;

/**
 * The real judge: the stack on an AF_PACKET socket on one end of a veth pair, the Linux kernel's TCP in a
 * network namespace on the other end, curl as the client. The bytes must arrive sha256-identical, tshark
 * on the peer's interface must find nothing malformed, no bad checksum and no ACK of an unseen segment,
 * and every payload piece must come back once the connection is over.
 */
class KernelPeerTest {

    private static final int PORT = PatternServer.PORT;
    private static final long BIG = 64L << 20;

    private static VethPair veth;
    private static PatternServer server;
    private static PatternResponder.Pattern pattern;
    private static ImpairedLink impaired;
    private static NetStack stack;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        VethPair.assumeUsable("curl");
        veth = VethPair.create();
        PacketSocketLink link = PacketSocketLink.open(veth.stackEnd);
        impaired = new ImpairedLink(link, 5681);
        server = PatternServer.start(impaired, link, VethPair.STACK_ADDRESS, BIG, 14);
        pattern = server.pattern;
        stack = server.stack;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (veth != null) {
            veth.close();
        }
    }

    @Test
    void kernelPingsTheStack() {
        assumeTrue(Commands.installed("ping"), "ping is not installed (iputils-ping)");
        String out = veth.inPeer(20, "ping", "-c", "2", "-W", "2", VethPair.STACK_ADDRESS);
        assertTrue(out.contains("2 received"), out);
    }

    @Test
    void curlReceivesOneMebibyteIdenticalAndTsharkFindsNothingWrong() throws Exception {
        PeerCapture.assertCleanDownload(veth, "kernel-peer-1MiB.pcap", dir.resolve("tshark.log"), PORT,
                () -> download(1L << 20));
    }

    @Test
    void curlReceivesSixtyFourMebibytesIdentical() throws Exception {
        download(BIG);
    }

    @Test
    void curlReceivesEightMebibytesIdenticalThroughLossBothWays() throws Exception {
        long before = stack.counters().get(StackCounter.RETRANSMISSIONS);
        long fastBefore = stack.counters().get(StackCounter.FAST_RETRANSMITS);
        impaired.loss(0.02, 0.01);
        try {
            download(8L << 20);
        } finally {
            impaired.loss(0, 0);
        }
        long retransmitted = stack.counters().get(StackCounter.RETRANSMISSIONS) - before;
        long fast = stack.counters().get(StackCounter.FAST_RETRANSMITS) - fastBefore;
        System.out.println("through 2 % / 1 % loss: " + retransmitted + " retransmissions, " + fast
                + " fast retransmits");
        assertTrue(retransmitted > 0, "frames were lost, so some were sent again");
        assertTrue(fast > 0, "losses were recovered by fast retransmit, not by timeouts alone");
    }

    @Test
    void slowReaderWithASmallReceiveBufferGetsEveryByte() throws Exception {
        // A small receive buffer in the peer's namespace and a reader slower than the stack: the peer's
        // window closes to a few segments (or to zero, then the stack probes) and reopens as curl reads.
        veth.inPeer(10, "sysctl", "-q", "-w", "net.ipv4.tcp_rmem=4096 8192 16384");
        long probes = stack.counters().get(StackCounter.ZERO_WINDOW_PROBES);
        try {
            download(2L << 20, "--limit-rate", "400K");
        } finally {
            veth.inPeer(10, "sysctl", "-q", "-w", "net.ipv4.tcp_rmem=4096 131072 6291456");
        }
        System.out.println("slow reader: zero-window probes "
                + (stack.counters().get(StackCounter.ZERO_WINDOW_PROBES) - probes));
    }

    @Test
    void clientKilledMidDownloadResetsAndEveryPieceIsReleased() throws Exception {
        Path out = dir.resolve("killed");
        Process curl = new ProcessBuilder(veth.peerCommand("curl", "-sS", "--limit-rate", "1M", "-o", out.toString(),
                "http://" + VethPair.STACK_ADDRESS + ":" + PORT + "/" + BIG)).redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!Files.exists(out) || Files.size(out) < 1 << 20) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(Files.size(out) > 0, "curl received something before it was killed");
        // ip netns exec execs curl in place: this is curl's pid, and SIGKILL is a real kill -9.
        curl.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        server.awaitNothingPinned();
        assertEquals(0, stack.counters().connections(TcpState.ESTABLISHED));
    }

    private void download(long size, String... curlOptions) throws Exception {
        Path out = dir.resolve("body-" + size);
        long retransmitsBefore = stack.counters().get(StackCounter.RETRANSMISSIONS);
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "280"));
        command.addAll(List.of(curlOptions));
        command.addAll(List.of("-o", out.toString(), "http://" + VethPair.STACK_ADDRESS + ":" + PORT + "/"
                + size));
        Commands.Result r = veth.attemptInPeer(300, command.toArray(String[]::new));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, r.exitCode(), "curl: " + r.output() + " counters " + stack.counters().snapshot());
        assertEquals(size, Files.size(out));
        assertEquals(server.patternSha256(size), PatternServer.sha256(out), "the body differs from the pattern");
        System.out.printf("%d bytes in %.2f s (%.1f MB/s), retransmissions %d, counters %s%n", size, seconds,
                size / seconds / 1e6, stack.counters().get(StackCounter.RETRANSMISSIONS) - retransmitsBefore,
                stack.counters().snapshot());
        server.awaitNothingPinned();
        assertEquals(0, stack.counters().dropped(DropReason.TCP_BAD_CHECKSUM));
        assertEquals(0, stack.counters().dropped(DropReason.IPV4_BAD_CHECKSUM));
    }
}
