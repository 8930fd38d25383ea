// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.buffer.SendBuffer;
import org.layerstore.netstack.time.TimerQueue.Timer;
import org.layerstore.netstack.wire.TcpHeader;
import org.layerstore.netstack.wire.TcpOptions;

/**
 * One passive-open TCP connection (RFC 9293), from SYN-RECEIVED to CLOSED, driven by the event loop: the
 * segments it receives ({@link #onSegment}), its timers, and its application's calls. Each rule is one
 * small method citing its RFC section.
 *
 * <p>Sequence variables follow RFC 9293 §3.3.1, plus {@code sndMax}, the highest sequence number sent:
 * after a retransmission timeout {@code sndNxt} goes back to {@code sndUna} (go-back-N), and ACKs up to
 * {@code sndMax} stay acceptable.
 */
public final class TcpConnection {

    /** RFC 5681 §3.2: DupThresh. */
    private static final int DUPLICATE_ACK_THRESHOLD = 3;
    private static final int IPV4_TCP_HEADERS = 40;
    /**
     * One kept link buffer per this many bytes of receive window: 512 buffers for the default 256 KiB, enough
     * for the window twice over in full-sized segments (the bytes unread in the application's hands and the
     * window in flight behind them); a peer whose segments average less than this many bytes reaches the
     * limit first, and the rest of its bytes are copied, so no peer ties up more of the link's receive pool.
     */
    private static final int BYTES_PER_KEPT_BUFFER = 512;
    private static final int MIN_KEPT_BUFFERS = 16;
    private static final int TIMESTAMP_OPTION_BYTES = 12;

    private final TcpLayer layer;
    private final ConnectionKey key;
    private final TcpConfig config;
    private final TcpListener listener;
    private TcpHandler handler;
    private TcpState state;

    // Send sequence space (RFC 9293 §3.3.1).
    private final int iss;
    private int sndUna;
    private int sndNxt;
    private int sndMax;
    private long sndWnd;
    private long maxSndWnd;
    private int sndWl1;
    private int sndWl2;
    private final int sndShift;
    private final boolean windowScaling;
    private final SendBuffer sendBuffer;
    private boolean finQueued;
    private int finSeq;

    // Receive sequence space.
    private final int irs;
    private int rcvNxt;
    private final int rcvShift;
    private int segmentsSinceAck;
    private final ReassemblyQueue outOfOrder = new ReassemblyQueue();
    /** RCV.NXT + RCV.WND as last advertised: the right edge of the window, which never moves left. */
    private int rcvAdv;
    /** RFC 1122 §4.2.3.3 RCV.USER: bytes received in order that the application has queued but not read. */
    private long unread;
    /** Link buffers this connection keeps now (unread data, out-of-order chunks). */
    private int keptBuffers;
    /** At most this many kept at once ({@link #keepReceived}). */
    private final int maxKeptBuffers;
    /** The reassembly chunk whose bytes the handler is being given, or null for the frame being handled. */
    private PayloadPiece delivering;

    // Negotiated options (RFC 9293 §3.7.1, RFC 7323).
    private final int peerMss;
    private int pathMss;
    private final boolean timestamps;
    private int tsRecent;
    private int lastAckSent;

    private final RttEstimator rtt;
    private final Cubic cc;
    private boolean timing;
    private int timedSeq;
    private long timedAt;
    private int consecutiveTimeouts;
    private long retransmissions;

    // Fast recovery: NewReno (RFC 6582 §3.2), or SACK-based (RFC 6675) when SACK was negotiated; recover
    // (RecoveryPoint) is the highest sequence number sent when recovery began.
    private final boolean sack;
    private final SackScoreboard scoreboard = new SackScoreboard();
    /** RFC 6675 HighRxt: the sequence number after the highest retransmitted byte. */
    private int highRxt;
    private int duplicateAcks;
    private boolean inRecovery;
    private int recover;

    private int keepAliveProbes;

    private final Timer retransmitTimer;
    private final Timer delayedAckTimer;
    private final Timer keepAliveTimer;
    private final Timer closeTimer;

    /** A connection for the SYN {@code syn} to {@code listener}: SYN-RECEIVED, SYN-ACK not sent yet. */
    static TcpConnection forSyn(TcpLayer layer, TcpListener listener, TcpSegment syn, int iss) {
        TcpConnection c = new TcpConnection(layer, listener, syn.key(), iss, syn.seq(), syn.options(), syn.window(),
                TcpState.SYN_RECEIVED);
        listener.halfOpened();
        return c;
    }

    /**
     * A connection established by a valid SYN cookie (RFC 4987 §3.6): the final ACK {@code ack} completes
     * a handshake whose SYN-ACK kept no state, so it runs without window scaling or timestamps, with the
     * MSS the cookie encodes.
     */
    static TcpConnection fromCookie(TcpLayer layer, TcpListener listener, TcpSegment ack, int cookieMss) {
        TcpOptions options = new TcpOptions();
        options.mss = cookieMss;
        TcpConnection c = new TcpConnection(layer, listener, ack.key(), ack.ack() - 1, ack.seq() - 1, options,
                ack.window(), TcpState.ESTABLISHED);
        c.sndUna = ack.ack();
        c.sndNxt = ack.ack();
        c.sndMax = ack.ack();
        c.maxSndWnd = c.sndWnd;
        c.sndWl2 = ack.ack();
        return c;
    }

    private TcpConnection(TcpLayer layer, TcpListener listener, ConnectionKey key, int iss, int irs,
            TcpOptions peer, int peerWindow, TcpState initial) {
        this.layer = layer;
        this.key = key;
        this.config = layer.config();
        this.listener = listener;
        this.iss = iss;
        this.irs = irs;
        this.timestamps = config.timestamps() && peer.timestamps;
        this.sack = config.sack() && peer.sackPermitted;
        // RFC 7323 §2.2: scaling is in effect only when both SYNs carry the option.
        this.windowScaling = config.windowScaling() && peer.windowShift != TcpOptions.ABSENT;
        this.sndShift = windowScaling ? peer.windowShift : 0;
        this.rcvShift = windowScaling ? config.receiveWindowShift() : 0;
        this.tsRecent = timestamps ? peer.tsVal : 0;
        this.peerMss = peerMss(peer.mss);
        this.pathMss = layer.output().mtu() - IPV4_TCP_HEADERS;
        this.sndUna = iss;
        this.sndNxt = iss;
        this.sndMax = iss;
        this.recover = iss;
        this.highRxt = iss;
        this.rcvNxt = irs + 1;
        this.lastAckSent = rcvNxt;
        // The SYN-ACK's window, unscaled (RFC 7323 §2.2), whichever way the handshake went.
        this.rcvAdv = rcvNxt + Math.min(config.receiveWindow(), 0xFFFF);
        this.maxKeptBuffers = Math.max(MIN_KEPT_BUFFERS, config.receiveWindow() / BYTES_PER_KEPT_BUFFER);
        // RFC 7323 §2.2: the window field of a SYN is never scaled.
        this.sndWnd = peerWindow;
        this.sndWl1 = irs;
        this.sndWl2 = iss;
        this.sendBuffer = new SendBuffer(iss + 1, layer.counters()::pinned);
        this.rtt = new RttEstimator(config.initialRto().toNanos(), config.minRto().toNanos(),
                config.maxRto().toNanos());
        this.cc = new Cubic(segmentPayload());
        this.retransmitTimer = layer.timers().newTimer(this::onRetransmitTimeout);
        this.delayedAckTimer = layer.timers().newTimer(this::sendAck);
        this.keepAliveTimer = layer.timers().newTimer(this::onKeepAliveTimeout);
        this.closeTimer = layer.timers().newTimer(() -> enterClosed(CloseReason.NORMAL));
        this.state = initial;
        layer.counters().transition(null, state);
    }

    // ---- application calls ------------------------------------------------------------------------

    /**
     * Queues {@code piece} for sending, taking over the caller's reference; the piece is released when the
     * peer acknowledges its last byte or the connection ends.
     *
     * @throws IllegalStateException after {@link #close} or when the connection can no longer send
     */
    public void write(PayloadPiece piece) {
        if (!state.canSendData() || finQueued) {
            piece.release();
            throw new IllegalStateException("connection " + key + " cannot send in " + state);
        }
        sendBuffer.append(piece);
        output();
    }

    /**
     * During {@link TcpHandler#onData}: keeps {@code data} (what that call was given, or part of it) after
     * the call in the link buffer it arrived in, uncopied; the buffer goes back to the link when the
     * piece's last reference is released (on the stack's thread). Null when it cannot be kept (the link
     * reuses its buffer, or this connection or the link holds as many as it may): copy the bytes instead.
     */
    public PayloadPiece keepReceived(MemorySegment data) {
        if (keptBuffers >= maxKeptBuffers) {
            return null;
        }
        PayloadPiece kept;
        if (delivering != null) {
            kept = PayloadPiece.of(data, delivering.retain()::release);
        } else {
            kept = layer.retainReceived(data);
            if (kept == null) {
                return null;
            }
        }
        keptBuffers++;
        return PayloadPiece.of(data, () -> {
            keptBuffers--;
            kept.release();
        });
    }

    /**
     * The application queued {@code bytes} received bytes without reading them yet: they narrow the window
     * this side advertises (RFC 9293 §3.8.6: RCV.WND is the buffer less what waits for the application).
     */
    public void receiveQueued(long bytes) {
        unread += bytes;
    }

    /**
     * The application read {@code bytes} of what it had queued. When that opens the window by the receiver
     * SWS threshold while less than half the buffer is offered, a window update goes out now (RFC 1122
     * §4.2.3.3), so a peer held back by a small or zero window does not wait for its next probe.
     */
    public void receiveRead(long bytes) {
        unread = Math.max(0, unread - bytes);
        if (!state.receivesData() || state == TcpState.CLOSED) {
            return;
        }
        int offered = offeredWindow();
        if (offered < config.receiveWindow() / 2 && receiveSpace() - offered >= swsThreshold()) {
            sendAck();
        }
    }

    /** Bytes the application may still write before reaching the send-buffer limit. */
    public long writableBytes() {
        return Math.max(0, config.sendBufferLimit() - sendBuffer.heldBytes());
    }

    /** RFC 9293 §3.10.4 CLOSE: a FIN follows the data already written. */
    public void close() {
        if (finQueued || !state.canSendData()) {
            return;
        }
        finQueued = true;
        finSeq = sendBuffer.endSeq();
        transition(state == TcpState.ESTABLISHED ? TcpState.FIN_WAIT_1 : TcpState.LAST_ACK);
        output();
    }

    /** RFC 9293 §3.10.5 ABORT: a RST goes out and the connection ends now. */
    public void abort() {
        if (state == TcpState.CLOSED) {
            return;
        }
        sendControl(sndNxt, TcpHeader.RST | TcpHeader.ACK);
        layer.counters().count(StackCounter.RESETS_SENT);
        layer.counters().count(StackCounter.CONNECTIONS_ABORTED);
        enterClosed(CloseReason.ABORTED);
    }

    public ConnectionKey key() {
        return key;
    }

    public TcpState state() {
        return state;
    }

    public TcpInfo info() {
        return new TcpInfo(key, state, rtt.srttNanos() / 1000, rtt.rtoNanos() / 1000, cc.cwnd(), cc.ssthresh(), sndWnd,
                segmentPayload(), sendBuffer.heldBytes(), retransmissions, offeredWindow(), unread);
    }

    // ---- handshake ----------------------------------------------------------------------------------

    /** RFC 9293 §3.10.7.2 (LISTEN, SYN): answer with SYN-ACK carrying our options. */
    void sendSynAck() {
        TcpOptions o = new TcpOptions();
        o.mss = pathMss;
        if (windowScaling) {
            o.windowShift = rcvShift;
        }
        o.sackPermitted = sack;
        if (timestamps) {
            o.timestamps = true;
            o.tsVal = layer.timestampNow();
            o.tsEcr = tsRecent;
        }
        // RFC 7323 §2.2: the SYN-ACK's window is not scaled.
        int window = Math.min(config.receiveWindow(), 0xFFFF);
        layer.send(key, iss, rcvNxt, TcpHeader.SYN | TcpHeader.ACK, window, o, List.of());
        if (Seq.lt(sndMax, iss + 1)) {
            sndNxt = iss + 1;
            sndMax = iss + 1;
        }
        if (!retransmitTimer.armed()) {
            retransmitTimer.armIn(rtt.rtoNanos());
        }
    }

    /** The connection completed its handshake: hand it to its application (RFC 9293 §3.10.7.4, SYN-RECEIVED). */
    private void established() {
        transition(TcpState.ESTABLISHED);
        listener.halfOpenEnded();
        openApplication();
    }

    void openApplication() {
        handler = listener.newHandler();
        armKeepAlive();
        handler.onOpen(this);
    }

    // ---- segment arrival (RFC 9293 §3.10.7.4) ---------------------------------------------------------

    void onSegment(TcpSegment seg) {
        if (state == TcpState.SYN_RECEIVED && seg.has(TcpHeader.SYN) && !seg.has(TcpHeader.ACK)
                && seg.seq() == irs) {
            resendSynAck();
            return;
        }
        if (failsPaws(seg) || !acceptable(seg)) {
            return;
        }
        if (seg.has(TcpHeader.RST)) {
            onReset(seg);
            return;
        }
        if (seg.has(TcpHeader.SYN)) {
            challengeAck();
            return;
        }
        if (!seg.has(TcpHeader.ACK)) {
            layer.counters().drop(DropReason.TCP_UNEXPECTED);
            return;
        }
        updateTsRecent(seg);
        if (state == TcpState.SYN_RECEIVED && !acksOurSyn(seg)) {
            return;
        }
        if (!processAck(seg)) {
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            established();
        }
        if (!advanceClosingStates(seg) || state == TcpState.CLOSED) {
            return;
        }
        armKeepAlive();
        receiveText(seg);
        if (state == TcpState.CLOSED) {
            return;
        }
        receiveFin(seg);
        if (state != TcpState.CLOSED) {
            output();
        }
    }

    /** RFC 7323 §5.3 R1: a segment with a timestamp older than TS.Recent is a duplicate: ACK and drop. */
    private boolean failsPaws(TcpSegment seg) {
        if (!timestamps || !seg.options().timestamps || seg.has(TcpHeader.RST)
                || !Seq.lt(seg.options().tsVal, tsRecent)) {
            return false;
        }
        layer.counters().drop(DropReason.TCP_PAWS);
        sendAck();
        return true;
    }

    /** RFC 7323 §4.3: TS.Recent follows the segment that covers the last ACK we sent. */
    private void updateTsRecent(TcpSegment seg) {
        if (timestamps && seg.options().timestamps && Seq.le(seg.seq(), lastAckSent)) {
            tsRecent = seg.options().tsVal;
        }
    }

    /** RFC 9293 §3.10.7.4 first check: the receive-window test; an unacceptable segment gets an ACK unless RST. */
    private boolean acceptable(TcpSegment seg) {
        int len = seg.sequenceLength();
        int window = offeredWindow();
        int seq = seg.seq();
        boolean ok;
        if (len == 0) {
            ok = window == 0 ? seq == rcvNxt : Seq.inWindow(seq, rcvNxt, rcvNxt + window);
        } else {
            ok = window != 0 && (Seq.inWindow(seq, rcvNxt, rcvNxt + window)
                    || Seq.inWindow(seq + len - 1, rcvNxt, rcvNxt + window));
        }
        if (ok) {
            return true;
        }
        layer.counters().drop(DropReason.TCP_OUT_OF_WINDOW);
        if (!seg.has(TcpHeader.RST)) {
            sendAck();
            if (state == TcpState.TIME_WAIT && seg.has(TcpHeader.FIN)) {
                closeTimer.armIn(config.timeWait().toNanos());
            }
        }
        return false;
    }

    /**
     * RFC 5961 §3.2 (second check of RFC 9293 §3.10.7.4): a RST exactly at RCV.NXT resets the connection;
     * one elsewhere in the window gets a challenge ACK.
     */
    private void onReset(TcpSegment seg) {
        if (seg.seq() != rcvNxt) {
            challengeAck();
            return;
        }
        if (state == TcpState.SYN_RECEIVED) {
            listener.halfOpenEnded();
        }
        enterClosed(state == TcpState.TIME_WAIT || state == TcpState.LAST_ACK || state == TcpState.CLOSING
                ? CloseReason.NORMAL : CloseReason.RESET_BY_PEER);
    }

    /**
     * RFC 5961 §4.2, §3.2, §5.2: a SYN in a synchronized state, a RST not at RCV.NXT, or a too-old ACK is
     * answered with an ACK, within the §7 rate limit.
     */
    private void challengeAck() {
        if (layer.allowChallengeAck()) {
            sendAck();
        }
    }

    /** RFC 9293 §3.10.7.4 fifth check, SYN-RECEIVED: an ACK of our SYN establishes; any other ACK gets a RST. */
    private boolean acksOurSyn(TcpSegment seg) {
        if (Seq.lt(sndUna, seg.ack()) && Seq.le(seg.ack(), sndMax)) {
            return true;
        }
        layer.counters().drop(DropReason.TCP_BAD_ACK);
        layer.sendReset(key, seg.ack(), 0, false);
        return false;
    }

    /**
     * RFC 9293 §3.10.7.4 fifth check, ESTABLISHED and after, with RFC 5961 §5.2's bound: an ACK of data not
     * sent, or older than the largest window the peer offered, is answered with an ACK and dropped.
     */
    private boolean processAck(TcpSegment seg) {
        int ack = seg.ack();
        if (Seq.gt(ack, sndMax) || Seq.lt(ack, sndUna - (int) Math.min(maxSndWnd, Integer.MAX_VALUE))) {
            layer.counters().drop(DropReason.TCP_BAD_ACK);
            if (Seq.gt(ack, sndMax)) {
                sendAck();
            } else {
                challengeAck();
            }
            return false;
        }
        long newWindow = (long) seg.window() << sndShift;
        if (sack) {
            scoreboard.update(Seq.gt(ack, sndUna) ? ack : sndUna, sndMax, seg.options().sackBlocks,
                    seg.options().sackBlockCount);
        }
        if (Seq.gt(ack, sndUna)) {
            onNewAck(ack);
        } else if (isDuplicateAck(seg, newWindow)) {
            onDuplicateAck();
        }
        updateSendWindow(seg, newWindow);
        if (!inRecovery && lossDetected()) {
            enterRecovery();
        }
        return true;
    }

    /** RFC 5681 §2, DUPLICATE ACKNOWLEDGMENT: all five conditions. */
    private boolean isDuplicateAck(TcpSegment seg, long newWindow) {
        return sndUna != sndMax && seg.payloadLength() == 0 && !seg.has(TcpHeader.SYN) && !seg.has(TcpHeader.FIN)
                && seg.ack() == sndUna && newWindow == sndWnd;
    }

    /** RFC 9293 §3.10.7.4: SND.WND from the newest segment (SND.WL1/WL2 rule). */
    private void updateSendWindow(TcpSegment seg, long newWindow) {
        if (Seq.lt(sndWl1, seg.seq()) || sndWl1 == seg.seq() && Seq.le(sndWl2, seg.ack())) {
            sndWnd = newWindow;
            sndWl1 = seg.seq();
            sndWl2 = seg.ack();
            maxSndWnd = Math.max(maxSndWnd, sndWnd);
        }
    }

    /** New data acknowledged: release its pieces, take an RTT sample, grow cwnd or advance recovery. */
    private void onNewAck(int ack) {
        long acked = Seq.distance(sndUna, ack);
        sendBuffer.acknowledge(ack);
        long now = layer.timers().now();
        if (timing && Seq.ge(ack, timedSeq)) {
            // RFC 6298 §3 (Karn): only segments sent once are timed; a retransmission cancels timing.
            rtt.sample(now - timedAt);
            timing = false;
        }
        consecutiveTimeouts = 0;
        keepAliveProbes = 0;
        sndUna = ack;
        if (Seq.lt(sndNxt, ack)) {
            sndNxt = ack;
        }
        if (inRecovery && sack) {
            onAckInSackRecovery(ack);
        } else if (inRecovery) {
            onAckInRecovery(ack, acked);
        } else if (state != TcpState.SYN_RECEIVED) {
            cc.onAck(acked, now, rtt.srttNanos());
        }
        duplicateAcks = 0;
        // RFC 6298 §5.2, §5.3: stop the timer when all is acknowledged, else restart it.
        if (sndUna == sndMax) {
            retransmitTimer.cancel();
        } else {
            retransmitTimer.armIn(rtt.rtoNanos());
        }
        if (handler != null && state.canSendData() && !finQueued && writableBytes() > 0) {
            handler.onWritable(this);
        }
    }

    /** RFC 6582 §3.2 steps 3-5: a full ACK ends recovery; a partial ACK retransmits the next hole. */
    private void onAckInRecovery(int ack, long acked) {
        int mss = segmentPayload();
        if (Seq.gt(ack, recover)) {
            inRecovery = false;
            cc.cwnd(Math.min(cc.ssthresh(), Seq.distance(sndUna, sndMax) + mss));
            return;
        }
        retransmitFirst();
        long deflated = cc.cwnd() - acked + (acked >= mss ? mss : 0);
        cc.cwnd(deflated);
    }

    /** A duplicate ACK (RFC 5681 §2): counted; in NewReno recovery it inflates cwnd, in SACK recovery it clocks out segments. */
    private void onDuplicateAck() {
        duplicateAcks++;
        if (!inRecovery) {
            return;
        }
        if (sack) {
            sendInSackRecovery();
        } else {
            cc.cwnd(cc.cwnd() + segmentPayload());
        }
    }

    /**
     * RFC 5681 §3.2 / RFC 6582 §3.2 step 1: the third duplicate ACK, or with SACK RFC 6675 §5's
     * IsLost(HighACK + 1), means a loss; only when the ACK covers more than recover (RFC 6582 §3.2 step 2),
     * so one window's losses start one recovery.
     */
    private boolean lossDetected() {
        if (sndUna == sndMax || !Seq.gt(sndUna, recover)) {
            return false;
        }
        return duplicateAcks >= DUPLICATE_ACK_THRESHOLD || sack && scoreboard.isLost(sndUna, segmentPayload());
    }

    /** Fast retransmit: ssthresh from CUBIC, the first unacknowledged segment again, then recovery proper. */
    private void enterRecovery() {
        inRecovery = true;
        recover = sndMax - 1;
        cc.onLoss();
        layer.counters().count(StackCounter.FAST_RETRANSMITS);
        if (sack) {
            // RFC 6675 §5 step 4: cwnd = ssthresh, retransmit the first segment, then NextSeg while pipe allows.
            retransmitFirst();
            sendInSackRecovery();
        } else {
            // RFC 6582 §3.2 step 2: cwnd = ssthresh + 3 SMSS.
            cc.cwnd(cc.ssthresh() + (long) DUPLICATE_ACK_THRESHOLD * segmentPayload());
            retransmitFirst();
        }
    }

    /** RFC 6675 §5 steps (A)-(C): an ACK in recovery ends it when past RecoveryPoint, else clocks out segments. */
    private void onAckInSackRecovery(int ack) {
        if (Seq.gt(ack, recover)) {
            inRecovery = false;
            cc.cwnd(cc.ssthresh());
            return;
        }
        sendInSackRecovery();
    }

    /** RFC 6675 §5 step (C): while cwnd - pipe >= 1 SMSS, send what NextSeg() names. */
    private void sendInSackRecovery() {
        int mss = segmentPayload();
        while (cc.cwnd() - pipe(mss) >= mss) {
            if (!sendNextSegment(mss)) {
                return;
            }
        }
    }

    /** RFC 6675 §4 SetPipe(): octets in flight that are neither SACKed nor lost, plus those retransmitted. */
    private long pipe(int mss) {
        long pipe = 0;
        for (int seq = sndUna; Seq.lt(seq, sndMax); ) {
            int len = (int) Math.min(mss, Seq.distance(seq, sndMax));
            if (!scoreboard.isSacked(seq)) {
                if (!scoreboard.isLost(seq, mss)) {
                    pipe += len;
                }
                if (Seq.lt(seq, highRxt)) {
                    pipe += len;
                }
            }
            seq += len;
        }
        return pipe;
    }

    /**
     * RFC 6675 §4 NextSeg(): (1) the first unSACKed, lost sequence number above HighRxt; (2) new data;
     * (3) the first unSACKed sequence number above HighRxt below the highest SACKed one. Returns false
     * when there is nothing to send.
     */
    private boolean sendNextSegment(int mss) {
        int from = scoreboard.firstUnsacked(Seq.gt(highRxt, sndUna) ? highRxt : sndUna);
        boolean hole = !scoreboard.isEmpty() && Seq.lt(from, scoreboard.highestSacked());
        if (hole && scoreboard.isLost(from, mss)) {
            return retransmitHole(from, mss);
        }
        if (sendNewSegment(mss)) {
            return true;
        }
        return hole && retransmitHole(from, mss);
    }

    private boolean retransmitHole(int from, int mss) {
        int dataEnd = sendBuffer.endSeq();
        int end = scoreboard.holeEnd(from, Seq.lt(sndMax, dataEnd) ? sndMax : dataEnd);
        int length = (int) Math.min(Seq.lt(from, end) ? Seq.distance(from, end) : 0, mss);
        if (length == 0) {
            return false;
        }
        transmit(from, length, TcpHeader.ACK);
        return true;
    }

    /** One segment of new data within the peer's window, as {@link #output} would send it. */
    private boolean sendNewSegment(int mss) {
        int dataEnd = sendBuffer.endSeq();
        long unsent = Seq.lt(sndNxt, dataEnd) ? Seq.distance(sndNxt, dataEnd) : 0;
        long usable = sndWnd - Seq.distance(sndUna, sndNxt);
        int len = (int) Math.min(Math.min(unsent, usable), mss);
        if (len <= 0) {
            return false;
        }
        boolean fin = len == unsent && finQueued;
        transmit(sndNxt, len, TcpHeader.ACK | (len == unsent ? TcpHeader.PSH : 0) | (fin ? TcpHeader.FIN : 0));
        sndNxt += len + (fin ? 1 : 0);
        if (Seq.gt(sndNxt, sndMax)) {
            sndMax = sndNxt;
        }
        return true;
    }

    /** RFC 9293 §3.10.7.4 fifth check, the closing states: our FIN's acknowledgment moves the state on. */
    private boolean advanceClosingStates(TcpSegment seg) {
        boolean finAcked = finQueued && Seq.gt(sndUna, finSeq);
        switch (state) {
            case FIN_WAIT_1 -> {
                if (finAcked) {
                    transition(TcpState.FIN_WAIT_2);
                    closeTimer.armIn(config.finWait2Timeout().toNanos());
                }
            }
            case CLOSING -> {
                if (finAcked) {
                    enterTimeWait();
                }
                return false;
            }
            case LAST_ACK -> {
                if (finAcked) {
                    enterClosed(CloseReason.NORMAL);
                }
                return false;
            }
            case TIME_WAIT -> {
                // Only a retransmission of the peer's FIN can arrive: acknowledge it, restart 2 MSL.
                if (seg.has(TcpHeader.FIN)) {
                    sendAck();
                    closeTimer.armIn(config.timeWait().toNanos());
                }
                return false;
            }
            default -> {
            }
        }
        return true;
    }

    /**
     * RFC 9293 §3.10.7.4 seventh check: in-order data goes to the application, followed by any held data it
     * now continues; data already received is trimmed; data beyond RCV.NXT is held in the reassembly queue
     * and answered with an immediate duplicate ACK carrying SACK blocks (RFC 5681 §4.2, RFC 2018 §4), as is
     * a segment that fills a gap. Otherwise ACKs are delayed up to every second full-sized segment
     * (RFC 9293 §3.8.6.3).
     */
    private void receiveText(TcpSegment seg) {
        if (seg.payloadLength() == 0 || !state.receivesData()) {
            return;
        }
        int seq = seg.seq();
        MemorySegment data = seg.payload();
        if (Seq.lt(seq, rcvNxt)) {
            long skip = Seq.distance(seq, rcvNxt);
            if (skip >= data.byteSize()) {
                sendAck();
                return;
            }
            data = data.asSlice(skip);
            seq = rcvNxt;
        }
        if (seq != rcvNxt) {
            if (outOfOrder.add(seq, data, rcvNxt, offeredWindow(), this::keepOrCopy)) {
                layer.counters().count(StackCounter.OUT_OF_ORDER_QUEUED);
            } else {
                layer.counters().drop(DropReason.TCP_OUT_OF_ORDER);
            }
            sendAck();
            return;
        }
        int room = offeredWindow();
        if (data.byteSize() > room) {
            data = data.asSlice(0, room);
        }
        boolean fillsGap = !outOfOrder.isEmpty();
        rcvNxt += (int) data.byteSize();
        segmentsSinceAck++;
        // The handler may answer at once; its segment carries the ACK and resets segmentsSinceAck.
        handler.onData(this, data);
        if (fillsGap && state != TcpState.CLOSED) {
            rcvNxt = outOfOrder.drain(rcvNxt, (chunk, held) -> {
                if (state != TcpState.CLOSED) {
                    delivering = chunk;
                    try {
                        handler.onData(this, held);
                    } finally {
                        delivering = null;
                    }
                }
            });
            segmentsSinceAck = 2;
        }
        if (state == TcpState.CLOSED || segmentsSinceAck == 0) {
            return;
        }
        if (segmentsSinceAck >= 2) {
            sendAck();
        } else if (!delayedAckTimer.armed()) {
            delayedAckTimer.armIn(config.delayedAck().toNanos());
        }
    }

    /** RFC 9293 §3.10.7.4 eighth check: an in-order FIN advances RCV.NXT, is acknowledged now, moves the state. */
    private void receiveFin(TcpSegment seg) {
        if (!seg.has(TcpHeader.FIN) || seg.seq() + seg.payloadLength() != rcvNxt) {
            return;
        }
        rcvNxt++;
        sendAck();
        switch (state) {
            case ESTABLISHED -> {
                transition(TcpState.CLOSE_WAIT);
                handler.onPeerClosed(this);
            }
            case FIN_WAIT_1 -> {
                if (Seq.gt(sndUna, finSeq)) {
                    enterTimeWait();
                } else {
                    transition(TcpState.CLOSING);
                }
                handler.onPeerClosed(this);
            }
            case FIN_WAIT_2 -> {
                enterTimeWait();
                handler.onPeerClosed(this);
            }
            default -> {
            }
        }
    }

    // ---- sending --------------------------------------------------------------------------------------

    /**
     * Sends what the windows allow (RFC 9293 §3.8.6.2.1 sender side: full segments, or the rest of what was
     * written; the application's writes are treated as pushed, as with TCP_NODELAY), then the FIN.
     */
    private void output() {
        if (!state.transmits()) {
            return;
        }
        int mss = segmentPayload();
        while (true) {
            int dataEnd = sendBuffer.endSeq();
            long unsent = Seq.lt(sndNxt, dataEnd) ? Seq.distance(sndNxt, dataEnd) : 0;
            long inFlight = Seq.distance(sndUna, sndNxt);
            long window = Math.min(sndWnd, cc.cwnd());
            long usable = window - inFlight;
            if (unsent > 0) {
                if (usable <= 0) {
                    armPersistIfStalled();
                    return;
                }
                int len = (int) Math.min(Math.min(unsent, usable), mss);
                if (len < mss && len < unsent && len < maxSndWnd / 2) {
                    // RFC 9293 §3.8.6.2.1: do not send a small segment into a small usable window.
                    armPersistIfStalled();
                    return;
                }
                boolean last = len == unsent;
                boolean fin = last && finQueued;
                int flags = TcpHeader.ACK | (last ? TcpHeader.PSH : 0) | (fin ? TcpHeader.FIN : 0);
                transmit(sndNxt, len, flags);
                sndNxt += len + (fin ? 1 : 0);
            } else if (finQueued && sndNxt == finSeq && sndWnd > inFlight) {
                transmit(sndNxt, 0, TcpHeader.ACK | TcpHeader.FIN);
                sndNxt += 1;
            } else {
                return;
            }
            if (Seq.gt(sndNxt, sndMax)) {
                sndMax = sndNxt;
            }
        }
    }

    /** Sends one segment of {@code length} payload bytes from {@code seq} (references into the send buffer). */
    private void transmit(int seq, int length, int flags) {
        boolean retransmission = Seq.lt(seq, sndMax);
        List<PayloadSlice> payload = length == 0 ? List.of() : sendBuffer.slices(seq, length);
        sendWithOptions(seq, flags, payload);
        if (retransmission) {
            if (Seq.gt(seq + length, highRxt)) {
                highRxt = seq + length;
            }
            retransmissions++;
            layer.counters().count(StackCounter.RETRANSMISSIONS);
            if (timing && Seq.le(seq, timedSeq)) {
                timing = false;
            }
        } else if (!timing && length > 0) {
            timing = true;
            timedSeq = seq + length;
            timedAt = layer.timers().now();
        }
        if (!retransmitTimer.armed()) {
            retransmitTimer.armIn(rtt.rtoNanos());
        }
    }

    /** Retransmits the first unacknowledged segment (fast retransmit, partial ACK, RTO). */
    private void retransmitFirst() {
        int dataEnd = sendBuffer.endSeq();
        int end = Seq.lt(sndMax, dataEnd) ? sndMax : dataEnd;
        int length = (int) Math.min(Seq.lt(sndUna, end) ? Seq.distance(sndUna, end) : 0, segmentPayload());
        boolean fin = finQueued && sndUna + length == finSeq && Seq.gt(sndMax, finSeq);
        if (length == 0 && !fin) {
            return;
        }
        transmit(sndUna, length, TcpHeader.ACK | (fin ? TcpHeader.FIN : 0) | (length > 0 ? TcpHeader.PSH : 0));
    }

    private void resendSynAck() {
        layer.counters().count(StackCounter.RETRANSMISSIONS);
        retransmissions++;
        sendSynAck();
    }

    /** An ACK now (also cancels a delayed one). */
    private void sendAck() {
        sendControl(sndNxt, TcpHeader.ACK);
    }

    private void sendControl(int seq, int flags) {
        sendWithOptions(seq, flags, List.of());
    }

    private void sendWithOptions(int seq, int flags, List<PayloadSlice> payload) {
        TcpOptions o = null;
        boolean reportSack = sack && !outOfOrder.isEmpty() && (flags & TcpHeader.RST) == 0;
        if (timestamps && (flags & TcpHeader.RST) == 0 || reportSack) {
            o = new TcpOptions();
            o.timestamps = timestamps;
            o.tsVal = layer.timestampNow();
            o.tsEcr = tsRecent;
        }
        if (reportSack) {
            // 40 option bytes: three blocks beside timestamps, four without (RFC 2018 §3).
            o.sackBlockCount = outOfOrder.sackBlocks(o.sackBlocks, timestamps ? 3 : TcpOptions.MAX_SACK_BLOCKS);
        }
        int window = windowField();
        layer.send(key, seq, rcvNxt, flags, window, o, payload);
        lastAckSent = rcvNxt;
        segmentsSinceAck = 0;
        delayedAckTimer.cancel();
    }

    // ---- timers ---------------------------------------------------------------------------------------

    /**
     * RFC 6298 §5.4-5.7: retransmit the earliest unacknowledged segment, back off, restart the timer; after
     * {@code maxRetransmissions} expiries in a row abort. With a zero window and nothing in flight the same
     * timer is the persist timer (RFC 9293 §3.8.6.1).
     */
    private void onRetransmitTimeout() {
        if (state == TcpState.SYN_RECEIVED) {
            onSynAckTimeout();
            return;
        }
        if (!state.transmits()) {
            return;
        }
        if (sndUna == sndMax) {
            onPersistTimeout();
            return;
        }
        if (++consecutiveTimeouts > config.maxRetransmissions()) {
            abortOnTimeout();
            return;
        }
        layer.counters().count(StackCounter.RTO_EXPIRIES);
        cc.onTimeout();
        rtt.backOff();
        timing = false;
        inRecovery = false;
        duplicateAcks = 0;
        // RFC 6582 §3.2 step 4 note: after a timeout, recover is the highest sequence number sent.
        recover = sndMax - 1;
        // RFC 2018 §8: after a timeout the SACK information is not trusted (the peer may renege).
        scoreboard.clear();
        highRxt = sndUna;
        sndNxt = sndUna;
        retransmitFirst();
        sndNxt = sndUna + (int) Math.min(Seq.distance(sndUna, sndMax), segmentPayload());
        if (finQueued && sndNxt == finSeq && Seq.gt(sndMax, finSeq)) {
            sndNxt++;
        }
        retransmitTimer.armIn(rtt.rtoNanos());
    }

    private void onSynAckTimeout() {
        if (++consecutiveTimeouts > config.synAckRetries()) {
            listener.halfOpenEnded();
            enterClosed(CloseReason.TIMEOUT);
            return;
        }
        rtt.backOff();
        resendSynAck();
        retransmitTimer.armIn(rtt.rtoNanos());
    }

    /**
     * RFC 9293 §3.8.6.1 and RFC 1122 §4.2.2.17: the peer's window is zero and data waits: probe with a
     * segment just below SND.UNA (the peer answers with an ACK that carries its window), backing off. An
     * answer that keeps the window closed does not reset the count: after {@code maxRetransmissions} probes
     * the connection is aborted, answered or not. RFC 9293 §3.8.6.1 (MUST-26) keeps such a connection open
     * for the TCP's own sake; RFC 6429 §2 lets the system reclaim it, which this stack does because a peer
     * that never reads would hold the send buffer's file pages pinned for ever (a slow-read attack).
     */
    private void onPersistTimeout() {
        boolean waiting = Seq.lt(sndNxt, sendBuffer.endSeq()) || finQueued && sndNxt == finSeq;
        if (!waiting) {
            return;
        }
        if (++consecutiveTimeouts > config.maxRetransmissions()) {
            abortOnTimeout();
            return;
        }
        layer.counters().count(StackCounter.ZERO_WINDOW_PROBES);
        sendControl(sndUna - 1, TcpHeader.ACK);
        rtt.backOff();
        retransmitTimer.armIn(rtt.rtoNanos());
    }

    private void armPersistIfStalled() {
        if (sndUna == sndMax && !retransmitTimer.armed()) {
            retransmitTimer.armIn(rtt.rtoNanos());
        }
    }

    /** RFC 9293 §3.8.4, RFC 1122 §4.2.3.6: after idle time, probe with SEG.SEQ = SND.NXT - 1 and no data. */
    private void onKeepAliveTimeout() {
        if (state != TcpState.ESTABLISHED && state != TcpState.CLOSE_WAIT) {
            return;
        }
        if (keepAliveProbes >= config.keepAliveProbes()) {
            abortOnTimeout();
            return;
        }
        keepAliveProbes++;
        layer.counters().count(StackCounter.KEEPALIVE_PROBES);
        sendControl(sndNxt - 1, TcpHeader.ACK);
        keepAliveTimer.armIn(config.keepAliveInterval().toNanos());
    }

    private void armKeepAlive() {
        keepAliveProbes = 0;
        if (state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT) {
            keepAliveTimer.armIn(config.keepAliveIdle().toNanos());
        }
    }

    // ---- path MTU -------------------------------------------------------------------------------------

    /**
     * RFC 1191 §6.1 (RFC 9293 §3.7.3): ICMP fragmentation-needed lowers the segment size, within a floor;
     * what is in flight is sent again in the new size at once.
     */
    void onFragmentationNeeded(int nextHopMtu) {
        int mss = Math.max(nextHopMtu - IPV4_TCP_HEADERS, config.minPathMss());
        if (mss >= pathMss) {
            return;
        }
        pathMss = mss;
        layer.counters().count(StackCounter.PATH_MTU_DECREASES);
        cc.mss(segmentPayload());
        if (state.transmits() && sndUna != sndMax) {
            timing = false;
            sndNxt = sndUna;
            output();
        }
    }

    // ---- state --------------------------------------------------------------------------------------

    private void enterTimeWait() {
        transition(TcpState.TIME_WAIT);
        retransmitTimer.cancel();
        keepAliveTimer.cancel();
        sendBuffer.releaseAll();
        closeTimer.armIn(config.timeWait().toNanos());
    }

    private void abortOnTimeout() {
        sendControl(sndNxt, TcpHeader.RST | TcpHeader.ACK);
        layer.counters().count(StackCounter.RESETS_SENT);
        layer.counters().count(StackCounter.CONNECTIONS_ABORTED);
        enterClosed(CloseReason.TIMEOUT);
    }

    private void enterClosed(CloseReason reason) {
        if (state == TcpState.CLOSED) {
            return;
        }
        transition(TcpState.CLOSED);
        retransmitTimer.cancel();
        delayedAckTimer.cancel();
        keepAliveTimer.cancel();
        closeTimer.cancel();
        sendBuffer.releaseAll();
        outOfOrder.clear();
        layer.remove(this);
        layer.counters().transition(TcpState.CLOSED, null);
        if (handler != null) {
            handler.onClosed(this, reason);
        }
    }

    private void transition(TcpState next) {
        layer.counters().transition(state, next);
        state = next;
    }

    // ---- sizes --------------------------------------------------------------------------------------

    /** RFC 9293 §3.7.1: Eff.snd.MSS = min(SendMSS, path) less the options every segment carries. */
    private int segmentPayload() {
        return Math.min(peerMss, pathMss) - (timestamps ? TIMESTAMP_OPTION_BYTES : 0);
    }

    /** The peer's MSS option, RFC 9293 §3.7.1's 536 when absent, raised to the configured floor. */
    private int peerMss(int option) {
        if (option == TcpOptions.ABSENT) {
            return 536;
        }
        if (option < config.minSendMss()) {
            layer.counters().count(StackCounter.TCP_TINY_MSS);
            return config.minSendMss();
        }
        return option;
    }

    /** RCV.WND as the peer knows it: from RCV.NXT to the right edge last advertised (0 once data filled it). */
    private int offeredWindow() {
        return Seq.gt(rcvAdv, rcvNxt) ? (int) Seq.distance(rcvNxt, rcvAdv) : 0;
    }

    /** RCV.BUFF - RCV.USER: the room left for data the application has not read. */
    private long receiveSpace() {
        return Math.max(0, config.receiveWindow() - unread);
    }

    /** RFC 1122 §4.2.3.3: the window's right edge moves on only by min(RCV.BUFF / 2, Eff.snd.MSS) at a time. */
    private long swsThreshold() {
        return Math.min(config.receiveWindow() / 2, segmentPayload());
    }

    /**
     * The window field of the segment being sent (RFC 7323 §2.3: scaled by our shift), with receiver SWS
     * avoidance (RFC 9293 §3.8.6.2.2, RFC 1122 §4.2.3.3): the right edge advances to the room left only when
     * that moves it by the threshold or more, otherwise stays where it was, and never moves left (RFC 9293
     * §3.8.6: the window SHOULD NOT shrink): the scaled field is rounded up so the edge it denotes is never
     * short of the last one. Records the new edge.
     */
    private int windowField() {
        long offered = offeredWindow();
        long space = receiveSpace();
        long window = space - offered >= swsThreshold() ? space : offered;
        int field = (int) Math.min((window + (1L << rcvShift) - 1) >>> rcvShift, 0xFFFF);
        int edge = rcvNxt + (field << rcvShift);
        if (Seq.gt(edge, rcvAdv)) {
            rcvAdv = edge;
        }
        return field;
    }

    /** An out-of-order chunk's bytes kept in their link buffer, or copied when they cannot be (counted). */
    private PayloadPiece keepOrCopy(MemorySegment data) {
        PayloadPiece kept = keepReceived(data);
        if (kept != null) {
            return kept;
        }
        layer.counters().add(StackCounter.RECEIVED_BYTES_COPIED, data.byteSize());
        return PayloadPiece.unowned(Arena.ofAuto().allocate(data.byteSize()).copyFrom(data));
    }
}
