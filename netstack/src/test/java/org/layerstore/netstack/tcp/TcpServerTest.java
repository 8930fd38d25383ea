// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerstore.netstack.wire.TcpHeader.ACK;
import static org.layerstore.netstack.wire.TcpHeader.FIN;
import static org.layerstore.netstack.wire.TcpHeader.PSH;
import static org.layerstore.netstack.wire.TcpHeader.RST;
import static org.layerstore.netstack.wire.TcpHeader.SYN;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.testing.Peer;
import org.layerstore.netstack.testing.TcpHarness;
import org.layerstore.netstack.wire.TcpOptions;

/**
 * The server's RFC 9293 states and transitions, fed recorded segment sequences; each test asserts the
 * segments the stack sends back.
 */
class TcpServerTest {

    private static final byte[] NONE = new byte[0];

    private final TcpHarness h = new TcpHarness();
    private final AtomicInteger released = new AtomicInteger();

    private PayloadPiece piece(int n) {
        return PayloadPiece.of(MemorySegment.ofArray(TcpHarness.bytes(n)), released::incrementAndGet);
    }

    @Test
    void synAckOffersMssWindowScaleAndTimestampsWhenTheSynDid() {
        List<Peer.Sent> out = h.send(TcpHarness.PEER_ISN, 0, SYN, 64240, TcpHarness.linuxSynOptions(), NONE);
        assertEquals(1, out.size());
        Peer.Sent synAck = out.get(0);
        assertEquals(SYN | ACK, synAck.flags());
        assertEquals(TcpHarness.PEER_ISN + 1, synAck.ack());
        assertEquals(1460, synAck.options().mss);
        assertEquals(3, synAck.options().windowShift, "256 KiB receive window needs shift 3");
        assertTrue(synAck.options().timestamps);
        assertEquals(1000, synAck.options().tsEcr, "echoes the SYN's TSval");
        assertTrue(synAck.options().sackPermitted);
        assertEquals(1, h.stack.counters().connections(TcpState.SYN_RECEIVED));
    }

    @Test
    void synAckWithoutOptionsBeyondMssWhenTheSynHadNone() {
        Peer.Sent synAck = h.send(TcpHarness.PEER_ISN, 0, SYN, 8192, null, NONE).get(0);
        assertEquals(1460, synAck.options().mss);
        assertEquals(TcpOptions.ABSENT, synAck.options().windowShift);
        assertFalse(synAck.options().timestamps);
    }

    @Test
    void handshakeEstablishesAndOpensTheApplication() {
        TcpHarness.Handler app = h.handshake();
        assertEquals(TcpState.ESTABLISHED, app.connection.state());
        assertEquals(1, h.stack.counters().connections(TcpState.ESTABLISHED));
        assertEquals(0, h.stack.counters().connections(TcpState.SYN_RECEIVED));
    }

    @Test
    void synAckIsRetransmittedWithBackoffThenTheHalfOpenConnectionIsDropped() {
        h.send(TcpHarness.PEER_ISN, 0, SYN, 8192, null, NONE);
        assertEquals(List.of(), h.advance(Duration.ofMillis(999)));
        assertEquals(SYN | ACK, h.advance(Duration.ofMillis(1)).get(0).flags(), "initial RTO 1 s (RFC 6298 §2.1)");
        assertEquals(List.of(), h.advance(Duration.ofMillis(1999)), "backed off to 2 s");
        assertEquals(1, h.advance(Duration.ofMillis(1)).size());
        for (int i = 0; i < 4; i++) {
            h.advance(Duration.ofSeconds(60));
        }
        h.advance(Duration.ofSeconds(60));
        assertEquals(0, h.stack.counters().connections(TcpState.SYN_RECEIVED));
        assertEquals(0, h.stack.counters().connections(TcpState.CLOSED));
    }

    @Test
    void duplicateSynInSynReceivedGetsTheSynAckAgain() {
        Peer.Sent first = h.send(TcpHarness.PEER_ISN, 0, SYN, 8192, null, NONE).get(0);
        Peer.Sent again = h.send(TcpHarness.PEER_ISN, 0, SYN, 8192, null, NONE).get(0);
        assertEquals(first.seq(), again.seq());
        assertEquals(SYN | ACK, again.flags());
    }

    @Test
    void badAckInSynReceivedIsReset() {
        Peer.Sent synAck = h.send(TcpHarness.PEER_ISN, 0, SYN, 8192, null, NONE).get(0);
        List<Peer.Sent> out = h.send(TcpHarness.PEER_ISN + 1, synAck.seq() + 100, ACK, 8192, null, NONE);
        assertEquals(RST, out.get(0).flags());
        assertEquals(synAck.seq() + 100, out.get(0).seq(), "RFC 9293: <SEQ=SEG.ACK><CTL=RST>");
    }

    @Test
    void inOrderDataIsDeliveredAndItsAckDelayed() {
        TcpHarness.Handler app = h.handshake();
        assertEquals(List.of(), h.segment(ACK | PSH, h.stackSeq, 65535, "GET / HTTP/1.1\r\n\r\n".getBytes()));
        assertEquals("GET / HTTP/1.1\r\n\r\n", app.received.toString());
        assertEquals(List.of(), h.advance(Duration.ofMillis(39)));
        List<Peer.Sent> ack = h.advance(Duration.ofMillis(1));
        assertEquals(1, ack.size(), "the delayed ACK after 40 ms");
        assertEquals(h.peerSeq, ack.get(0).ack());
    }

    @Test
    void everySecondFullSegmentIsAcknowledgedAtOnce() {
        h.handshake();
        assertEquals(List.of(), h.segment(ACK, h.stackSeq, 65535, TcpHarness.bytes(536)));
        List<Peer.Sent> out = h.segment(ACK, h.stackSeq, 65535, TcpHarness.bytes(536));
        assertEquals(1, out.size(), "RFC 5681 §4.2: ACK at least every second full-sized segment");
        assertEquals(h.peerSeq, out.get(0).ack());
    }

    @Test
    void outOfOrderDataIsHeldAndDeliveredWhenTheGapFills() {
        TcpHarness.Handler app = h.handshake();
        byte[] all = TcpHarness.bytes(300);
        List<Peer.Sent> dup = h.send(h.peerSeq + 100, h.stackSeq, ACK, 65535, null,
                java.util.Arrays.copyOfRange(all, 100, 200));
        assertEquals(1, dup.size(), "an immediate duplicate ACK (RFC 5681 §4.2)");
        assertEquals(h.peerSeq, dup.get(0).ack());
        assertEquals(0, app.received.size());
        h.send(h.peerSeq + 200, h.stackSeq, ACK, 65535, null, java.util.Arrays.copyOfRange(all, 200, 300));
        List<Peer.Sent> filled = h.send(h.peerSeq, h.stackSeq, ACK, 65535, null,
                java.util.Arrays.copyOfRange(all, 0, 100));
        assertEquals(1, filled.size(), "a segment that fills the gap is acknowledged at once");
        assertEquals(h.peerSeq + 300, filled.get(0).ack());
        assertArrayEquals(all, app.received.toByteArray(), "in order, each byte once");
        assertEquals(2, h.stack.counters().get(StackCounter.OUT_OF_ORDER_QUEUED));
    }

    @Test
    void heldDataIsReportedInSackBlocksNewestFirst() {
        TcpOptions syn = TcpHarness.linuxSynOptions();
        syn.timestamps = false;
        h.handshake(syn, 65535);
        h.send(h.peerSeq + 100, h.stackSeq, ACK, 65535, null, TcpHarness.bytes(50));
        List<Peer.Sent> out = h.send(h.peerSeq + 300, h.stackSeq, ACK, 65535, null, TcpHarness.bytes(50));
        TcpOptions o = out.get(0).options();
        assertEquals(2, o.sackBlockCount);
        assertEquals(h.peerSeq + 300, o.sackBlocks[0], "RFC 2018 §4: the newest block first");
        assertEquals(h.peerSeq + 350, o.sackBlocks[1]);
        assertEquals(h.peerSeq + 100, o.sackBlocks[2]);
    }

    @Test
    void responseIsCutIntoMssSegmentsWithinTheWindowAndReleasedWhenAcknowledged() {
        TcpHarness.Handler app = h.handshake(null, 2000);
        app.connection.write(piece(3000));
        // MSS 536 (no option, RFC 9293 §3.7.1) and a 2000-byte window: three segments, 1608 bytes.
        List<Peer.Sent> first = Peer.segments(h.link.takeSent());
        assertEquals(3, first.size());
        assertEquals(536, first.get(0).payload().length);
        assertEquals(536, first.get(2).payload().length);
        assertEquals(h.stackSeq, first.get(0).seq());
        assertEquals(List.of(), h.segment(ACK, h.stackSeq, 2000, NONE), "no new ACK or window: nothing more");
        List<Peer.Sent> more = h.segment(ACK, h.stackSeq + 1608, 2000, NONE);
        assertEquals(3, more.size(), "the ACK opens the window for the next three");
        assertEquals(3000, h.stack.counters().pinnedBytes(), "the piece is held until all of it is acknowledged");
        assertEquals(List.of(), h.segment(ACK, h.stackSeq + 3000, 2000, NONE));
        assertEquals(0, h.stack.counters().pinnedBytes());
        assertEquals(1, released.get());
    }

    @Test
    void retransmissionTimeoutResendsTheSameBytesAndBacksOffThenAborts() {
        TcpHarness.Handler app = h.handshake();
        app.connection.write(piece(100));
        Peer.Sent original = Peer.segments(h.link.takeSent()).get(0);
        List<Peer.Sent> rto1 = h.advance(Duration.ofSeconds(1));
        assertEquals(1, rto1.size());
        assertEquals(original.seq(), rto1.get(0).seq());
        assertArrayEquals(original.payload(), rto1.get(0).payload());
        assertEquals(List.of(), h.advance(Duration.ofMillis(1999)));
        assertEquals(1, h.advance(Duration.ofMillis(1)).size(), "RFC 6298 §5.5: doubled");
        for (int i = 0; i < 12; i++) {
            h.advance(Duration.ofSeconds(60));
        }
        assertEquals(CloseReason.TIMEOUT, app.closed);
        assertEquals(1, released.get(), "the piece is released when the connection ends");
        assertEquals(0, h.stack.counters().pinnedBytes());
        assertTrue(h.stack.counters().get(StackCounter.RETRANSMISSIONS) >= 12);
    }

    @Test
    void anAckWaitingBehindABurstStopsTheTimerBeforeItFires() {
        TcpHarness.Handler app = openedWithSegmentInFlight(100);
        // The loop stalled past the RTO; meanwhile two frames queued, one burst each: an old ACK, then the new one.
        h.clock.advance(Duration.ofSeconds(2));
        h.link.burst(1);
        h.link.deliver(Peer.tcp(TcpHarness.PEER_PORT, TcpHarness.PORT, h.peerSeq, h.stackSeq, ACK, 65535, null, NONE));
        h.link.deliver(Peer.tcp(TcpHarness.PEER_PORT, TcpHarness.PORT, h.peerSeq, h.stackSeq + 100, ACK, 65535, null,
                NONE));
        h.stack.runOnce(0);
        assertEquals(List.of(), Peer.segments(h.link.takeSent()), "no retransmission of acknowledged data");
        assertEquals(0, h.stack.counters().get(StackCounter.RTO_EXPIRIES));
        assertEquals(0, h.stack.counters().pinnedBytes());
        assertEquals(1, released.get());
        assertEquals(null, app.closed, "the connection lives on");
    }

    /** An established connection that has sent one segment of {@code bytes}, not yet acknowledged. */
    private TcpHarness.Handler openedWithSegmentInFlight(int bytes) {
        TcpHarness.Handler app = h.handshake();
        app.connection.write(piece(bytes));
        h.link.takeSent();
        return app;
    }

    @Test
    void rttSampleSetsTheRto() {
        TcpHarness.Handler app = openedWithSegmentInFlight(100);
        h.clock.advance(Duration.ofMillis(100));
        h.segment(ACK, h.stackSeq + 100, 65535, NONE);
        TcpInfo info = app.connection.info();
        assertEquals(100_000, info.srttMicros());
        assertEquals(300_000, info.rtoMicros(), "RFC 6298 §2.2: SRTT + 4 * SRTT/2");
    }

    @Test
    void threeDuplicateAcksTriggerFastRetransmit() {
        TcpHarness.Handler app = h.handshake();
        app.connection.write(piece(536 * 6));
        List<Peer.Sent> flight = Peer.segments(h.link.takeSent());
        assertEquals(6, flight.size());
        assertEquals(List.of(), h.segment(ACK, h.stackSeq, 65535, NONE), "window unchanged: first duplicate");
        h.segment(ACK, h.stackSeq, 65535, NONE);
        List<Peer.Sent> out = h.segment(ACK, h.stackSeq, 65535, NONE);
        assertEquals(1, out.size());
        assertEquals(h.stackSeq, out.get(0).seq(), "the first unacknowledged segment again");
        assertEquals(1, h.stack.counters().get(StackCounter.FAST_RETRANSMITS));
        List<Peer.Sent> partial = h.segment(ACK, h.stackSeq + 536, 65535, NONE);
        assertEquals(h.stackSeq + 536, partial.get(0).seq(), "RFC 6582: a partial ACK retransmits the next hole");
    }

    private static TcpOptions sack(int... edges) {
        TcpOptions o = new TcpOptions();
        o.sackBlockCount = edges.length / 2;
        System.arraycopy(edges, 0, o.sackBlocks, 0, edges.length);
        return o;
    }

    @Test
    void sackRecoveryRetransmitsOnlyTheHolesTheScoreboardShows() {
        TcpOptions syn = TcpHarness.linuxSynOptions();
        syn.timestamps = false;
        TcpHarness.Handler app = h.handshake(syn, 65535);
        int mss = 1460;
        int base = h.stackSeq;
        app.connection.write(piece(mss * 10));
        assertEquals(10, Peer.segments(h.link.takeSent()).size());
        // Segments 2 and 5 (from 0) are lost; the peer SACKs what follows each hole.
        h.send(h.peerSeq, base + 2 * mss, ACK, 65535, sack(base + 3 * mss, base + 4 * mss), NONE);
        h.send(h.peerSeq, base + 2 * mss, ACK, 65535, sack(base + 3 * mss, base + 5 * mss), NONE);
        List<Peer.Sent> out = h.send(h.peerSeq, base + 2 * mss, ACK, 65535,
                sack(base + 6 * mss, base + 7 * mss, base + 3 * mss, base + 5 * mss), NONE);
        // NextSeg rule 1 sends the lost first hole; pipe leaves room, so rule 3 sends the next hole too.
        assertEquals(List.of(base + 2 * mss, base + 5 * mss), out.stream().map(Peer.Sent::seq).toList());
        assertEquals(1, h.stack.counters().get(StackCounter.FAST_RETRANSMITS));
        List<Peer.Sent> after = h.send(h.peerSeq, base + 5 * mss, ACK, 65535,
                sack(base + 6 * mss, base + 10 * mss), NONE);
        assertEquals(List.of(), after, "a partial ACK: everything left is SACKed or already retransmitted");
        h.send(h.peerSeq, base + 10 * mss, ACK, 65535, null, NONE);
        assertEquals(0, h.stack.counters().pinnedBytes());
        assertEquals(1, h.stack.counters().get(StackCounter.FAST_RETRANSMITS), "one recovery for the window");
    }

    @Test
    void peerCloseThenApplicationCloseGoesThroughCloseWaitAndLastAck() {
        TcpHarness.Handler app = h.handshake();
        List<Peer.Sent> ack = h.segment(ACK | FIN, h.stackSeq, 65535, NONE);
        assertEquals(h.peerSeq, ack.get(0).ack(), "the FIN is acknowledged at once");
        assertEquals(TcpState.CLOSE_WAIT, app.connection.state());
        assertTrue(app.peerClosed);
        app.connection.write(piece(10));
        app.connection.close();
        List<Peer.Sent> out = Peer.segments(h.link.takeSent());
        assertTrue(out.get(out.size() - 1).has(FIN));
        assertEquals(TcpState.LAST_ACK, app.connection.state());
        h.segment(ACK, h.stackSeq + 11, 65535, NONE);
        assertEquals(TcpState.CLOSED, app.connection.state());
        assertEquals(CloseReason.NORMAL, app.closed);
        assertEquals(1, released.get());
    }

    @Test
    void applicationCloseFirstGoesThroughFinWait1FinWait2AndTimeWait() {
        TcpHarness.Handler app = h.handshake();
        app.connection.close();
        Peer.Sent fin = Peer.segments(h.link.takeSent()).get(0);
        assertEquals(ACK | FIN, fin.flags());
        assertEquals(TcpState.FIN_WAIT_1, app.connection.state());
        h.segment(ACK, h.stackSeq + 1, 65535, NONE);
        assertEquals(TcpState.FIN_WAIT_2, app.connection.state());
        List<Peer.Sent> ack = h.segment(ACK | FIN, h.stackSeq + 1, 65535, NONE);
        assertEquals(h.peerSeq, ack.get(0).ack());
        assertEquals(TcpState.TIME_WAIT, app.connection.state());
        h.advance(Duration.ofSeconds(59));
        assertEquals(TcpState.TIME_WAIT, app.connection.state());
        h.advance(Duration.ofSeconds(1));
        assertEquals(TcpState.CLOSED, app.connection.state(), "2 MSL later");
    }

    @Test
    void simultaneousCloseGoesThroughClosing() {
        TcpHarness.Handler app = h.handshake();
        app.connection.close();
        h.link.takeSent();
        h.segment(ACK | FIN, h.stackSeq, 65535, NONE);
        assertEquals(TcpState.CLOSING, app.connection.state());
        h.segment(ACK, h.stackSeq + 1, 65535, NONE);
        assertEquals(TcpState.TIME_WAIT, app.connection.state());
    }

    @Test
    void retransmittedFinInTimeWaitIsAcknowledgedAgain() {
        TcpHarness.Handler app = h.handshake();
        app.connection.close();
        h.link.takeSent();
        h.segment(ACK, h.stackSeq + 1, 65535, NONE);
        h.segment(ACK | FIN, h.stackSeq + 1, 65535, NONE);
        List<Peer.Sent> again = h.send(h.peerSeq - 1, h.stackSeq + 1, ACK | FIN, 65535, null, NONE);
        assertEquals(1, again.size());
        assertEquals(h.peerSeq, again.get(0).ack());
    }

    @Test
    void resetAtRcvNxtClosesTheConnection() {
        TcpHarness.Handler app = h.handshake();
        assertEquals(List.of(), h.send(h.peerSeq, 0, RST, 0, null, NONE));
        assertEquals(CloseReason.RESET_BY_PEER, app.closed);
    }

    @Test
    void resetInTheWindowButNotAtRcvNxtGetsAChallengeAck() {
        TcpHarness.Handler app = h.handshake();
        List<Peer.Sent> out = h.send(h.peerSeq + 10, 0, RST, 0, null, NONE);
        assertEquals(1, out.size());
        assertEquals(ACK, out.get(0).flags());
        assertEquals(h.peerSeq, out.get(0).ack());
        assertEquals(TcpState.ESTABLISHED, app.connection.state());
        assertEquals(1, h.stack.counters().get(StackCounter.CHALLENGE_ACKS));
    }

    @Test
    void challengeAcksAreLimitedPerSecond() {
        h.handshake();
        int sent = 0;
        for (int i = 0; i < TcpLayer.CHALLENGE_ACKS_PER_SECOND + 50; i++) {
            sent += h.send(h.peerSeq + 10, 0, RST, 0, null, NONE).size();
        }
        assertEquals(TcpLayer.CHALLENGE_ACKS_PER_SECOND, sent, "RFC 5961 §7");
        assertEquals(50, h.stack.counters().get(StackCounter.CHALLENGE_ACKS_SUPPRESSED));
        h.clock.advance(Duration.ofSeconds(1));
        assertEquals(1, h.send(h.peerSeq + 10, 0, RST, 0, null, NONE).size(), "a new second, a new budget");
    }

    @Test
    void timeoutGoesBackToOneSegmentAndALostFinIsSentAgain() {
        TcpHarness.Handler app = h.handshake();
        app.connection.write(piece(536 * 4));
        app.connection.close();
        List<Peer.Sent> flight = Peer.segments(h.link.takeSent());
        assertEquals(5, flight.size(), "four segments went on write, the FIN on close");
        assertEquals(ACK | FIN, flight.get(4).flags());
        List<Peer.Sent> rto = h.advance(Duration.ofSeconds(1));
        assertEquals(1, rto.size(), "cwnd is one segment after a timeout (RFC 5681 §3.1)");
        assertEquals(h.stackSeq, rto.get(0).seq());
        List<Peer.Sent> slowStart = h.segment(ACK, h.stackSeq + 536, 65535, NONE);
        assertEquals(2, slowStart.size(), "slow start: two for one");
        // The peer had the rest but not the FIN: the FIN goes again at once.
        List<Peer.Sent> fin = h.segment(ACK, h.stackSeq + 536 * 4, 65535, NONE);
        assertEquals(1, fin.size());
        assertEquals(ACK | FIN, fin.get(0).flags());
        assertEquals(h.stackSeq + 536 * 4, fin.get(0).seq());
        assertEquals(TcpState.FIN_WAIT_1, app.connection.state());
        List<Peer.Sent> again = h.advance(Duration.ofSeconds(2));
        assertEquals(ACK | FIN, again.get(0).flags(), "a lost FIN is retransmitted by the timer");
        h.segment(ACK, h.stackSeq + 536 * 4 + 1, 65535, NONE);
        assertEquals(TcpState.FIN_WAIT_2, app.connection.state());
    }

    @Test
    void resetOutsideTheWindowIsDroppedSilently() {
        TcpHarness.Handler app = h.handshake();
        assertEquals(List.of(), h.send(h.peerSeq + 1_000_000, 0, RST, 0, null, NONE));
        assertEquals(TcpState.ESTABLISHED, app.connection.state());
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_OUT_OF_WINDOW));
    }

    @Test
    void synInEstablishedGetsAChallengeAck() {
        TcpHarness.Handler app = h.handshake();
        List<Peer.Sent> out = h.send(h.peerSeq + 5, 0, SYN, 8192, null, NONE);
        assertEquals(ACK, out.get(0).flags());
        assertEquals(TcpState.ESTABLISHED, app.connection.state());
        assertEquals(1, h.stack.counters().get(StackCounter.CHALLENGE_ACKS));
    }

    @Test
    void ackOfUnsentDataIsAnsweredAndDropped() {
        TcpHarness.Handler app = h.handshake();
        List<Peer.Sent> out = h.segment(ACK, h.stackSeq + 5000, 65535, NONE);
        assertEquals(1, out.size());
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_BAD_ACK));
        assertEquals(TcpState.ESTABLISHED, app.connection.state());
    }

    @Test
    void segmentOutsideTheReceiveWindowIsAnsweredWithAnAck() {
        h.handshake();
        List<Peer.Sent> out = h.send(h.peerSeq - 5000, h.stackSeq, ACK, 65535, null, TcpHarness.bytes(10));
        assertEquals(1, out.size());
        assertEquals(h.peerSeq, out.get(0).ack());
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_OUT_OF_WINDOW));
    }

    @Test
    void segmentForNoConnectionGetsAReset() {
        List<Peer.Sent> closedPort = sendToPort(81, 777, 0, SYN);
        assertEquals(RST | ACK, closedPort.get(0).flags());
        assertEquals(0, closedPort.get(0).seq());
        assertEquals(778, closedPort.get(0).ack(), "RFC 9293 §3.10.7.1: ACK = SEG.SEQ + SEG.LEN");
        List<Peer.Sent> withAck = sendToPort(81, 777, 4242, ACK);
        assertEquals(RST, withAck.get(0).flags());
        assertEquals(4242, withAck.get(0).seq());
        assertEquals(List.of(), sendToPort(81, 777, 0, RST), "never a RST for a RST");
        assertEquals(3, h.stack.counters().dropped(DropReason.TCP_NO_CONNECTION));
    }

    private List<Peer.Sent> sendToPort(int port, int seq, int ack, int flags) {
        h.link.deliver(Peer.tcp(TcpHarness.PEER_PORT, port, seq, ack, flags, 8192, null, NONE));
        h.stack.runOnce(0);
        return Peer.segments(h.link.takeSent());
    }

    @Test
    void ackToTheListenerWithoutACookieIsReset() {
        List<Peer.Sent> out = h.send(5000, 6000, ACK, 8192, null, NONE);
        assertEquals(RST, out.get(0).flags());
        assertEquals(6000, out.get(0).seq());
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_BAD_COOKIE));
    }

    @Test
    void fullSynQueueAnswersWithACookieThatEstablishesOnTheAck() {
        TcpHarness c = new TcpHarness(TcpConfig.defaults().withSynQueueLimit(0));
        List<Peer.Sent> synAck = c.send(TcpHarness.PEER_ISN, 0, SYN, 8192, TcpHarness.linuxSynOptions(), NONE);
        assertEquals(SYN | ACK, synAck.get(0).flags());
        assertEquals(1460, synAck.get(0).options().mss);
        assertFalse(synAck.get(0).options().timestamps, "a cookie connection runs without timestamps");
        assertEquals(0, c.stack.counters().connections(TcpState.SYN_RECEIVED), "no state kept");
        assertEquals(1, c.stack.counters().get(StackCounter.SYN_COOKIES_SENT));
        c.send(TcpHarness.PEER_ISN + 1, synAck.get(0).seq() + 1, ACK, 8192, null, NONE);
        assertEquals(1, c.stack.counters().connections(TcpState.ESTABLISHED));
        assertEquals(1, c.stack.counters().get(StackCounter.SYN_COOKIES_ACCEPTED));
        assertEquals(1, c.handlers.size());
    }

    @Test
    void zeroWindowIsProbedUntilItOpens() {
        TcpHarness.Handler app = h.handshake(null, 0);
        app.connection.write(piece(100));
        assertEquals(List.of(), Peer.segments(h.link.takeSent()), "nothing into a zero window");
        List<Peer.Sent> probe = h.advance(Duration.ofSeconds(1));
        assertEquals(1, probe.size());
        assertEquals(h.stackSeq - 1, probe.get(0).seq(), "probe below SND.UNA");
        assertEquals(1, h.stack.counters().get(StackCounter.ZERO_WINDOW_PROBES));
        List<Peer.Sent> data = h.segment(ACK, h.stackSeq, 1000, NONE);
        assertEquals(1, data.size(), "the window opened: the data goes");
        assertEquals(100, data.get(0).payload().length);
    }

    @Test
    void aWindowThatStaysClosedIsAbortedAfterTheLimitThoughEveryProbeIsAnswered() {
        TcpHarness z = new TcpHarness(TcpConfig.defaults().withRetransmissionLimit(3, Duration.ofSeconds(1)));
        TcpHarness.Handler app = z.handshake(null, 0);
        app.connection.write(piece(100));
        for (int probe = 1; probe <= 3; probe++) {
            List<Peer.Sent> sent = z.advance(Duration.ofSeconds(1));
            assertEquals(1, sent.size(), "probe " + probe);
            assertEquals(0, sent.get(0).payload().length);
            assertEquals(List.of(), z.segment(ACK, z.stackSeq, 0, NONE), "the answer keeps the window closed");
        }
        List<Peer.Sent> reset = z.advance(Duration.ofSeconds(1));
        assertEquals(RST | ACK, reset.get(0).flags(), "RFC 6429 §2: the resources are reclaimed");
        assertEquals(3, z.stack.counters().get(StackCounter.ZERO_WINDOW_PROBES));
        assertEquals(1, z.stack.counters().get(StackCounter.CONNECTIONS_ABORTED));
        assertEquals(CloseReason.TIMEOUT, app.closed);
        assertEquals(0, z.stack.counters().pinnedBytes(), "the unsent piece released");
    }

    @Test
    void keepAliveProbesAnIdleConnectionAndAbortsWhenUnanswered() {
        TcpHarness k = new TcpHarness(TcpConfig.defaults().withKeepAlive(Duration.ofMinutes(10),
                Duration.ofSeconds(10), 3));
        TcpHarness.Handler app = k.handshake();
        List<Peer.Sent> probe = k.advance(Duration.ofMinutes(10));
        assertEquals(1, probe.size());
        assertEquals(k.stackSeq - 1, probe.get(0).seq(), "RFC 9293 §3.8.4: SEG.SEQ = SND.NXT - 1");
        k.advance(Duration.ofSeconds(10));
        k.advance(Duration.ofSeconds(10));
        List<Peer.Sent> reset = k.advance(Duration.ofSeconds(10));
        assertTrue(reset.get(0).has(RST));
        assertEquals(CloseReason.TIMEOUT, app.closed);
        assertEquals(3, k.stack.counters().get(StackCounter.KEEPALIVE_PROBES));
    }

    @Test
    void tinyMssOptionIsRaisedToTheFloor() {
        TcpOptions o = new TcpOptions();
        o.mss = 1;
        TcpHarness.Handler app = h.handshake(o, 65535);
        app.connection.write(piece(200));
        List<Peer.Sent> out = Peer.segments(h.link.takeSent());
        assertEquals(64, out.get(0).payload().length);
        assertEquals(1, h.stack.counters().get(StackCounter.TCP_TINY_MSS));
    }

    @Test
    void pawsDropsASegmentWithAnOldTimestamp() {
        TcpHarness.Handler app = h.handshake(TcpHarness.linuxSynOptions(), 65535);
        TcpOptions old = new TcpOptions();
        old.timestamps = true;
        old.tsVal = 999;
        List<Peer.Sent> out = h.send(h.peerSeq, h.stackSeq, ACK, 65535, old, TcpHarness.bytes(10));
        assertEquals(1, out.size(), "answered with an ACK");
        assertEquals(0, app.received.size());
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_PAWS));
    }

    @Test
    void applicationAbortSendsAResetAndReleasesItsPieces() {
        TcpHarness.Handler app = h.handshake();
        app.connection.write(piece(100));
        h.link.takeSent();
        app.connection.abort();
        List<Peer.Sent> out = Peer.segments(h.link.takeSent());
        assertTrue(out.get(0).has(RST));
        assertEquals(CloseReason.ABORTED, app.closed);
        assertEquals(1, released.get());
        assertEquals(0, h.stack.counters().pinnedBytes());
    }
}
