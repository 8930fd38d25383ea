// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackConfig;
import org.layerstore.netstack.tcp.CloseReason;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.tcp.TcpConnection;
import org.layerstore.netstack.tcp.TcpHandler;
import org.layerstore.netstack.wire.ArpPacket;
import org.layerstore.netstack.wire.TcpHeader;
import org.layerstore.netstack.wire.TcpOptions;

/**
 * A stack on a {@link RecordingLink} with a {@link ManualClock}, listening on port 80, and a scripted peer
 * on port 40000: tests feed segments in sequence and assert the segments the stack answers with.
 */
public final class TcpHarness {

    public static final int PORT = 80;
    public static final int PEER_PORT = 40000;
    public static final int PEER_ISN = 0xFFFF_FF00;

    public final ManualClock clock = new ManualClock();
    public final RecordingLink link = new RecordingLink();
    public final NetStack stack;
    public final List<Handler> handlers = new ArrayList<>();
    /** What the handler does when data arrives (default: nothing). */
    public Consumer<TcpConnection> onData = c -> { };
    /** The peer's next sequence number and the stack's (once the SYN-ACK is seen). */
    public int peerSeq = PEER_ISN;
    public int stackSeq;

    /** Records what its connection saw. */
    public final class Handler implements TcpHandler {
        public TcpConnection connection;
        public final ByteArrayOutputStream received = new ByteArrayOutputStream();
        public boolean peerClosed;
        public CloseReason closed;

        @Override
        public void onOpen(TcpConnection c) {
            connection = c;
        }

        @Override
        public void onData(TcpConnection c, MemorySegment data) {
            received.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
            onData.accept(c);
        }

        @Override
        public void onPeerClosed(TcpConnection c) {
            peerClosed = true;
        }

        @Override
        public void onClosed(TcpConnection c, CloseReason reason) {
            closed = reason;
        }
    }

    public TcpHarness() {
        this(TcpConfig.defaults());
    }

    public TcpHarness(TcpConfig config) {
        // ARP entries outlive the tests' idle periods (ArpCacheTest covers expiry).
        StackConfig base = StackConfig.of(Peer.STACK, 24);
        StackConfig stackConfig = new StackConfig(base.address(), base.prefixLength(), null, Duration.ofDays(1),
                base.arpRetry(), base.arpCapacity(), config);
        stack = new NetStack(link, stackConfig, clock, new SecureRandom());
        stack.listen(PORT, () -> {
            Handler h = new Handler();
            handlers.add(h);
            return h;
        });
        // The peer resolves the stack's address first, as a kernel does; the stack learns the peer's MAC.
        link.deliver(Peer.arp(ArpPacket.REQUEST, org.layerstore.netstack.wire.MacAddress.BROADCAST));
        stack.runOnce(0);
        link.takeSent();
    }

    /** The peer's SYN options as Linux sends them: MSS 1460, SACK-permitted, timestamps, window scale 7. */
    public static TcpOptions linuxSynOptions() {
        TcpOptions o = new TcpOptions();
        o.mss = 1460;
        o.sackPermitted = true;
        o.timestamps = true;
        o.tsVal = 1000;
        o.windowShift = 7;
        return o;
    }

    /** Delivers one segment from the peer and returns what the stack sent in answer. */
    public List<Peer.Sent> send(int seq, int ack, int flags, int window, TcpOptions options, byte[] payload) {
        link.deliver(Peer.tcp(PEER_PORT, PORT, seq, ack, flags, window, options, payload));
        stack.runOnce(0);
        return Peer.segments(link.takeSent());
    }

    /** An ACK-flagged segment at the peer's current sequence number, without options. */
    public List<Peer.Sent> segment(int flags, int ack, int window, byte[] payload) {
        List<Peer.Sent> out = send(peerSeq, ack, flags, window, null, payload);
        peerSeq += payload.length + ((flags & TcpHeader.FIN) != 0 ? 1 : 0);
        return out;
    }

    /** Moves the clock and runs the timers due; returns what the stack sent. */
    public List<Peer.Sent> advance(Duration by) {
        clock.advance(by);
        stack.runOnce(0);
        return Peer.segments(link.takeSent());
    }

    /** SYN (without options unless given), SYN-ACK, ACK: returns the established connection's handler. */
    public Handler handshake(TcpOptions synOptions, int window) {
        List<Peer.Sent> synAck = send(peerSeq, 0, TcpHeader.SYN, window, synOptions, new byte[0]);
        assertEquals(1, synAck.size(), "one SYN-ACK");
        Peer.Sent s = synAck.get(0);
        assertTrue(s.has(TcpHeader.SYN) && s.has(TcpHeader.ACK), "SYN-ACK flags");
        assertEquals(peerSeq + 1, s.ack());
        peerSeq++;
        stackSeq = s.seq() + 1;
        List<Peer.Sent> none = send(peerSeq, stackSeq, TcpHeader.ACK, window, null, new byte[0]);
        assertEquals(List.of(), none, "nothing answers the handshake's ACK");
        assertEquals(1, handlers.size(), "the connection is open");
        return handlers.get(0);
    }

    /** A handshake without options and a 64 KiB window. */
    public Handler handshake() {
        return handshake(null, 65535);
    }

    public static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }
}
