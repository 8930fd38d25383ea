// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layerstore.datapath.RandomContent;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/**
 * The offload port on the frame-manager link against peers that misbehave, from the client's namespace: a
 * reader that stops (zero window) and resumes or never resumes, a client that vanishes mid-download (a
 * blackhole route for the stack's address: no more ACKs leave the namespace), and bad frames sent by a raw
 * AF_PACKET tool ({@code offload-peers/raw_peer.py}): a SYN flood past the SYN queue, RSTs and SYNs injected
 * into a live connection, truncated and malformed frames, and an MSS below the floor. The stack gives up on a
 * silent peer after {@value #EXPIRIES} timeouts in a row, the RTO capped at 1 s, so these tests wait seconds,
 * not the minutes of the defaults.
 */
class FrameManagerBadPeerTest {

    private static final int EXPIRIES = 8;
    private static final int SYN_QUEUE = TcpConfig.defaults().synQueueLimit();

    @RegisterExtension
    static final OffloadPortFixture fixture = OffloadPortFixture.on(OffloadSettings.WIRE_FRAME_MANAGER, "lsp", root -> {
        RandomContent.createNew(root.resolve("one-MiB.bin"), 1 << 20, 31);
        RandomContent.createNew(root.resolve("sixty-four-MiB.bin"), 64 << 20, 32);
        RandomContent.createNew(root.resolve("four-KiB.bin"), 4096, 33);
        Files.writeString(root.resolve("small.txt"), "hello over the frame manager\n");
    }).withTcp(TcpConfig.defaults().withRetransmissionLimit(EXPIRIES, Duration.ofSeconds(1)));

    @BeforeAll
    static void assumeTools() {
        PeerTools.assumePython();
    }

    @Test
    void aReaderThatPausesGetsEveryByteAfterZeroWindowProbes() throws Exception {
        long probes = counters().get(StackCounter.ZERO_WINDOW_PROBES);
        long started = System.nanoTime();
        Map<String, String> result = PeerTools.run(PeerTools.python(fixture.network(), "slow_reader.py",
                OffloadDemoNetwork.STACK_ADDRESS, port(), PeerTools.request(fixture.dir(), "/files/one-MiB.bin"), 3), 60);
        long sent = counters().get(StackCounter.ZERO_WINDOW_PROBES) - probes;
        System.out.printf("a reader paused 3 s: %d zero-window probes, 1 MiB in %.1f s%n", sent,
                (System.nanoTime() - started) / 1e9);
        assertEquals("200", result.get("status"), result.toString());
        assertEquals(String.valueOf(1 << 20), result.get("body_bytes"));
        assertArrayEquals(OffloadTestClients.sha256(Files.readAllBytes(fixture.root().resolve("one-MiB.bin"))),
                HexFormat.of().parseHex(result.get("sha256")), "every byte arrived, in order");
        assertTrue(sent >= 2, "the stack probed the closed window: " + sent);
        fixture.awaitNothingPinned();
    }

    @Test
    void aReaderThatNeverOpensItsWindowIsAbortedAfterTheProbeLimit() throws Exception {
        long probes = counters().get(StackCounter.ZERO_WINDOW_PROBES);
        long aborted = counters().get(StackCounter.CONNECTIONS_ABORTED);
        Process reader = new ProcessBuilder(PeerTools.python(fixture.network(), "slow_reader.py",
                OffloadDemoNetwork.STACK_ADDRESS, port(), PeerTools.request(fixture.dir(), "/files/sixty-four-MiB.bin"), 120))
                .redirectErrorStream(true).start();
        try {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(),
                    StandardCharsets.UTF_8))) {
                assertEquals("paused", out.readLine());
            }
            long started = System.nanoTime();
            awaitCounterAbove(StackCounter.CONNECTIONS_ABORTED, aborted, 60);
            System.out.printf("a reader that never reads: aborted %.1f s after its pause began, %d probes%n",
                    (System.nanoTime() - started) / 1e9, counters().get(StackCounter.ZERO_WINDOW_PROBES) - probes);
            assertTrue(counters().get(StackCounter.ZERO_WINDOW_PROBES) - probes >= EXPIRIES,
                    "probed up to the limit before giving up");
        } finally {
            reader.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        assertTheAbortedConnectionLeftNothing();
    }

    @Test
    void aClientThatVanishesMidDownloadIsAbortedAfterBackingOff() throws Exception {
        long expiries = counters().get(StackCounter.RTO_EXPIRIES);
        long aborted = counters().get(StackCounter.CONNECTIONS_ABORTED);
        Process download = new ProcessBuilder(fixture.network().inNamespace("curl", "-sS", "-u",
                TestServers.USER + ":" + TestServers.PASSWORD, "-o", "/dev/null", fixture.base() + "sixty-four-MiB.bin"))
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (fixture.link().pinnedBytes() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(fixture.link().pinnedBytes() > 0, "the download is under way");
            // No nftables here: a blackhole route drops every segment the client's kernel sends to the stack.
            PeerTools.exec(fixture.network().inNamespace("ip", "route", "add", "blackhole",
                    OffloadDemoNetwork.STACK_ADDRESS + "/32"), 10);
            long started = System.nanoTime();
            awaitCounterAbove(StackCounter.CONNECTIONS_ABORTED, aborted, 60);
            double seconds = (System.nanoTime() - started) / 1e9;
            long timeouts = counters().get(StackCounter.RTO_EXPIRIES) - expiries;
            System.out.printf("a vanished client: aborted after %.1f s and %d RTO expiries%n", seconds, timeouts);
            assertTrue(timeouts >= EXPIRIES, "every expiry up to the limit: " + timeouts);
            // 8 expiries at the 200 ms floor would take 1.6 s; backing off (0.2, 0.4, 0.8, then the 1 s cap) 6.4 s.
            assertTrue(seconds > 4, "the RTO backed off: " + seconds + " s");
        } finally {
            download.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            PeerTools.exec(fixture.network().inNamespace("ip", "route", "del", "blackhole",
                    OffloadDemoNetwork.STACK_ADDRESS + "/32"), 10);
        }
        assertTheAbortedConnectionLeftNothing();
    }

    @Test
    void aSynFloodPastTheQueueIsAnsweredWithCookiesAndARealClientIsServed() throws Exception {
        long cookiesSent = counters().get(StackCounter.SYN_COOKIES_SENT);
        long cookiesAccepted = counters().get(StackCounter.SYN_COOKIES_ACCEPTED);
        int flood = 3 * SYN_QUEUE;
        long started = System.nanoTime();
        rawPeer("syn-flood", port(), flood, 14);
        assertEquals(SYN_QUEUE, fixture.awaitConnections(TcpState.SYN_RECEIVED, SYN_QUEUE), "the SYN queue is full");
        Curl.Response r = fixture.curl().run(fixture.base() + "small.txt");
        assertEquals(200, r.status());
        assertEquals("hello over the frame manager\n", r.text());
        long sent = counters().get(StackCounter.SYN_COOKIES_SENT) - cookiesSent;
        System.out.printf("a %d-SYN flood: %d SYN cookies sent, a real client served through one, %.1f s%n", flood,
                sent, (System.nanoTime() - started) / 1e9);
        assertTrue(sent >= flood - SYN_QUEUE - 10, "SYNs past the queue got cookies: " + sent);
        assertTrue(counters().get(StackCounter.SYN_COOKIES_ACCEPTED) > cookiesAccepted, "curl's handshake was a cookie's");
        rawPeer("syn-flood-reset", port(), flood, 14);
        assertEquals(0, fixture.awaitConnections(TcpState.SYN_RECEIVED, 0), "each half-open connection reset");
    }

    @Test
    void rstAndSynInjectedIntoAConnectionGetChallengeAcksAndTheConnectionSurvives() throws Exception {
        long challenges = counters().get(StackCounter.CHALLENGE_ACKS);
        long outOfWindow = counters().dropped(DropReason.TCP_OUT_OF_WINDOW);
        Map<String, String> r = rawPeer("challenge", port(), PeerTools.request(fixture.dir(), "/files/small.txt"));
        System.out.println("injected RST/SYN: " + r);
        assertEquals("0", r.get("far_rst_acks"), "a RST outside the window is dropped silently (RFC 5961 §3.2)");
        assertTrue(Integer.parseInt(r.get("near_rst_acks")) >= 1, "a RST in the window not at RCV.NXT: challenge ACK");
        assertTrue(Integer.parseInt(r.get("syn_acks")) >= 1, "a SYN on the connection: challenge ACK (RFC 5961 §4.2)");
        assertTrue(Integer.parseInt(r.get("far_syn_acks")) >= 1, "a SYN outside the window: ACK (RFC 9293 §3.10.7.4)");
        assertEquals("HTTP/1.1_200_OK", r.get("status"), "the connection survived and answered");
        assertTrue(counters().get(StackCounter.CHALLENGE_ACKS) - challenges >= 2, "challenge ACKs counted");
        assertTrue(counters().dropped(DropReason.TCP_OUT_OF_WINDOW) - outOfWindow >= 2, "out-of-window segments counted");
    }

    @Test
    void truncatedAndMalformedFramesAreDroppedEachUnderItsReason() throws Exception {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        for (DropReason reason : DropReason.values()) {
            drops.put(reason, counters().dropped(reason));
        }
        long unknown = counters().get(StackCounter.TCP_UNKNOWN_OPTIONS);
        long badLengths = counters().get(StackCounter.TCP_BAD_OPTION_LENGTHS);
        Map<String, String> sent = rawPeer("garbage", port());
        System.out.println("malformed frames sent: " + sent + "; stack drops now " + counters().snapshot());
        for (Map.Entry<String, String> e : sent.entrySet()) {
            String name = e.getKey().toUpperCase(Locale.ROOT);
            long expected = Long.parseLong(e.getValue());
            if (name.equals("TCP_UNKNOWN_OPTIONS")) {
                assertTrue(counters().get(StackCounter.TCP_UNKNOWN_OPTIONS) - unknown >= expected, name);
            } else if (name.equals("TCP_BAD_OPTION_LENGTHS")) {
                assertTrue(counters().get(StackCounter.TCP_BAD_OPTION_LENGTHS) - badLengths >= expected, name);
            } else {
                DropReason reason = DropReason.valueOf(name);
                assertTrue(counters().dropped(reason) - drops.get(reason) >= expected, "frames dropped as " + reason);
            }
        }
        assertEquals(200, fixture.curl().run(fixture.base() + "small.txt").status(), "the stack serves on");
    }

    @Test
    void anMssBelowTheFloorIsRaisedToIt() throws Exception {
        long tiny = counters().get(StackCounter.TCP_TINY_MSS);
        int floor = TcpConfig.defaults().minSendMss();
        Map<String, String> r = rawPeer("tiny-mss", port(), 16, PeerTools.request(fixture.dir(), "/files/four-KiB.bin"));
        System.out.println("a peer offering MSS 16: " + r);
        assertEquals("HTTP/1.1_200_OK", r.get("status"), r.toString());
        assertEquals(String.valueOf(floor), r.get("max_payload"), "segments carry the floor's " + floor + " bytes");
        assertTrue(Integer.parseInt(r.get("segments")) >= 4096 / floor, r.toString());
        assertTrue(counters().get(StackCounter.TCP_TINY_MSS) > tiny, "the tiny MSS was counted");
        fixture.awaitNothingPinned();
    }

    private static void assertTheAbortedConnectionLeftNothing() throws InterruptedException {
        fixture.awaitNothingPinned();
        assertEquals(0, fixture.awaitConnections(TcpState.ESTABLISHED, 0), "the aborted connection is gone");
    }

    /** raw_peer.py MODE on the client's interface, aimed at the stack's MAC and address, then {@code args}. */
    private static Map<String, String> rawPeer(String mode, Object... args) throws Exception {
        List<Object> all = new ArrayList<>(List.of(mode, fixture.network().clientInterface(),
                PeerTools.mac(fixture.network().stackInterface()), OffloadDemoNetwork.STACK_ADDRESS));
        all.addAll(Arrays.asList(args));
        return PeerTools.run(PeerTools.python(fixture.network(), "raw_peer.py", all.toArray()), 60);
    }

    private static void awaitCounterAbove(StackCounter counter, long value, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (counters().get(counter) <= value && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(counters().get(counter) > value, counter + " did not rise within " + seconds + " s");
    }

    private static StackCounters counters() {
        return fixture.counters();
    }

    private static int port() {
        return fixture.port().localAddress().getPort();
    }
}
