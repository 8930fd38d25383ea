// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.Ipv4Output;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.buffer.ReceiveRetainer;
import org.layerstore.netstack.time.TimerQueue;
import org.layerstore.datapath.frames.InternetChecksum;
import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.Ipv4Header;
import org.layerstore.netstack.wire.TcpHeader;
import org.layerstore.netstack.wire.TcpOptions;

/**
 * TCP at this stack's address: validates received segments, finds their connection or listener, opens
 * connections (SYN queue, then SYN cookies), answers segments of unknown connections with RST, and writes
 * the header (with checksum) of every segment the connections send.
 */
public final class TcpLayer {

    /** RFC 5961 §7: challenge ACKs sent per second at most, over all connections (Linux's default). */
    static final int CHALLENGE_ACKS_PER_SECOND = 1000;
    private static final long SECOND_NANOS = 1_000_000_000L;

    private final TcpConfig config;
    private final Ipv4Output output;
    private final StackCounters counters;
    private final TimerQueue timers;
    private final IsnGenerator isn;
    private final SynCookies cookies;
    private final ReceiveRetainer received;
    private final Map<ConnectionKey, TcpConnection> connections = new HashMap<>();
    private final Map<Integer, TcpListener> listeners = new HashMap<>();
    private long challengeWindowStart;
    private int challengeAcksInWindow;

    /** {@code received}: keeps the bytes of the frame being handled in its link buffer (null: copy them). */
    public TcpLayer(TcpConfig config, Ipv4Output output, StackCounters counters, TimerQueue timers,
            SecureRandom random, ReceiveRetainer received) {
        this.config = config;
        this.received = received;
        this.output = output;
        this.counters = counters;
        this.timers = timers;
        this.isn = new IsnGenerator(timers.clock(), random);
        this.cookies = new SynCookies(timers.clock(), isn);
    }

    /** RFC 9293 §3.10.1 passive OPEN: each connection to {@code port} gets a handler from {@code handlers}. */
    public TcpListener listen(int port, Supplier<TcpHandler> handlers) {
        if (port <= 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("TCP port must be 1 to 65535: " + port);
        }
        TcpListener listener = new TcpListener(port, handlers, config.synQueueLimit());
        if (listeners.putIfAbsent(port, listener) != null) {
            throw new IllegalStateException("port " + port + " is already listening");
        }
        counters.transition(null, TcpState.LISTEN);
        return listener;
    }

    /**
     * RFC 9293 §3.10.4 CLOSE in LISTEN: the port takes no more SYNs (they are answered with RST, §3.10.7.1);
     * connections already opened, or half-open, from it carry on.
     */
    public void unlisten(TcpListener listener) {
        if (listeners.remove(listener.port(), listener)) {
            counters.transition(TcpState.LISTEN, null);
        }
    }

    /** A TCP segment in an IPv4 datagram from {@code source} to this stack; {@code tcp} spans header and data. */
    public void receive(Ipv4Address source, Ipv4Address destination, MemorySegment tcp) {
        TcpSegment seg = parse(source, destination, tcp);
        if (seg == null) {
            return;
        }
        counters.count(StackCounter.SEGMENTS_IN);
        TcpConnection connection = connections.get(seg.key());
        if (connection != null) {
            connection.onSegment(seg);
            return;
        }
        TcpListener listener = listeners.get(seg.destinationPort());
        if (listener == null) {
            counters.drop(DropReason.TCP_NO_CONNECTION);
            resetUnknown(seg);
            return;
        }
        onListenerSegment(listener, seg);
    }

    /** Header, checksum and options checks; null (and a counted drop) for a segment to discard. */
    private TcpSegment parse(Ipv4Address source, Ipv4Address destination, MemorySegment tcp) {
        long length = tcp.byteSize();
        if (length < TcpHeader.MIN_LENGTH) {
            counters.drop(DropReason.TCP_MALFORMED);
            return null;
        }
        int headerLength = TcpHeader.headerLength(tcp);
        if (headerLength < TcpHeader.MIN_LENGTH || headerLength > length) {
            counters.drop(DropReason.TCP_MALFORMED);
            return null;
        }
        if (TcpHeader.pseudoHeader(source, destination, (int) length).add(tcp).finish() != 0) {
            counters.drop(DropReason.TCP_BAD_CHECKSUM);
            return null;
        }
        TcpOptions options = TcpOptions.parse(tcp.asSlice(TcpHeader.MIN_LENGTH, headerLength - TcpHeader.MIN_LENGTH));
        for (int i = 0; i < options.unknownOptions; i++) {
            counters.count(StackCounter.TCP_UNKNOWN_OPTIONS);
        }
        switch (options.parse) {
            case MALFORMED -> {
                counters.drop(DropReason.TCP_BAD_OPTIONS);
                return null;
            }
            case BAD_LENGTH -> counters.count(StackCounter.TCP_BAD_OPTION_LENGTHS);
            case OK -> {
            }
        }
        return new TcpSegment(source, TcpHeader.sourcePort(tcp), TcpHeader.destinationPort(tcp),
                TcpHeader.sequence(tcp), TcpHeader.acknowledgment(tcp), TcpHeader.flags(tcp), TcpHeader.window(tcp),
                options, tcp.asSlice(headerLength));
    }

    /** RFC 9293 §3.10.7.2, LISTEN: RST ignored, ACK checked as a SYN cookie or reset, SYN opens. */
    private void onListenerSegment(TcpListener listener, TcpSegment seg) {
        if (seg.has(TcpHeader.RST)) {
            counters.drop(DropReason.TCP_UNEXPECTED);
            return;
        }
        if (seg.has(TcpHeader.ACK)) {
            if (!seg.has(TcpHeader.SYN) && acceptCookie(listener, seg)) {
                return;
            }
            counters.drop(DropReason.TCP_NO_CONNECTION);
            sendReset(seg.key(), seg.ack(), 0, false);
            return;
        }
        if (!seg.has(TcpHeader.SYN)) {
            counters.drop(DropReason.TCP_UNEXPECTED);
            return;
        }
        if (listener.synQueueFull()) {
            sendCookie(seg);
            return;
        }
        int iss = isn.isn(output.localAddress().value(), seg.destinationPort(), seg.source().value(),
                seg.sourcePort());
        TcpConnection connection = TcpConnection.forSyn(this, listener, seg, iss);
        connections.put(seg.key(), connection);
        connection.sendSynAck();
    }

    /** RFC 4987 §3.6: a stateless SYN-ACK whose ISN is the cookie; only the MSS option. */
    private void sendCookie(TcpSegment syn) {
        int mss = syn.options().mss == TcpOptions.ABSENT ? 536 : syn.options().mss;
        int cookie = cookies.cookie(output.localAddress().value(), syn.destinationPort(), syn.source().value(),
                syn.sourcePort(), syn.seq(), Math.min(mss, output.mtu() - 40));
        TcpOptions o = new TcpOptions();
        o.mss = output.mtu() - 40;
        counters.count(StackCounter.SYN_COOKIES_SENT);
        send(syn.key(), cookie, syn.seq() + 1, TcpHeader.SYN | TcpHeader.ACK,
                Math.min(config.receiveWindow(), 0xFFFF), o, List.of());
    }

    private boolean acceptCookie(TcpListener listener, TcpSegment ack) {
        int mss = cookies.check(output.localAddress().value(), ack.destinationPort(), ack.source().value(),
                ack.sourcePort(), ack.seq() - 1, ack.ack() - 1);
        if (mss < 0) {
            counters.drop(DropReason.TCP_BAD_COOKIE);
            return false;
        }
        counters.count(StackCounter.SYN_COOKIES_ACCEPTED);
        TcpConnection connection = TcpConnection.fromCookie(this, listener, ack, mss);
        connections.put(ack.key(), connection);
        connection.openApplication();
        if (connection.state() != TcpState.CLOSED) {
            connection.onSegment(ack);
        }
        return true;
    }

    /**
     * RFC 9293 §3.10.7.1 (CLOSED): a RST is dropped; a segment with ACK gets {@code <SEQ=SEG.ACK><CTL=RST>},
     * one without gets {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}.
     */
    private void resetUnknown(TcpSegment seg) {
        if (seg.has(TcpHeader.RST)) {
            return;
        }
        if (seg.has(TcpHeader.ACK)) {
            sendReset(seg.key(), seg.ack(), 0, false);
        } else {
            sendReset(seg.key(), 0, seg.seq() + seg.sequenceLength(), true);
        }
    }

    void sendReset(ConnectionKey key, int seq, int ack, boolean withAck) {
        counters.count(StackCounter.RESETS_SENT);
        send(key, seq, ack, TcpHeader.RST | (withAck ? TcpHeader.ACK : 0), 0, null, List.of());
    }

    /**
     * RFC 1191 §6.1: ICMP fragmentation-needed quoting a segment we sent from {@code localPort} to
     * {@code remote}:{@code remotePort} (the quoted sequence number is not checked against the window:
     * the floor on the MSS bounds what a forged message can do).
     */
    public void onFragmentationNeeded(Ipv4Address remote, int remotePort, int localPort, int nextHopMtu) {
        TcpConnection connection = connections.get(new ConnectionKey(remote, remotePort, localPort));
        if (connection != null) {
            connection.onFragmentationNeeded(nextHopMtu);
        }
    }

    /** Writes the header of one segment and hands it to IPv4; the checksum covers the payload pieces. */
    void send(ConnectionKey key, int seq, int ack, int flags, int window, TcpOptions options,
            List<PayloadSlice> payload) {
        MemorySegment header = output.transportHeader();
        int optionBytes = options == null ? 0 : options.encodedLength();
        int headerLength = TcpHeader.MIN_LENGTH + optionBytes;
        TcpHeader.write(header, key.localPort(), key.remotePort(), seq, ack, headerLength, flags, window);
        if (options != null) {
            options.write(header, TcpHeader.MIN_LENGTH);
        }
        int payloadLength = 0;
        for (PayloadSlice slice : payload) {
            payloadLength += slice.length();
        }
        InternetChecksum sum = TcpHeader.pseudoHeader(output.localAddress(), key.remoteAddress(),
                headerLength + payloadLength).add(header.asSlice(0, headerLength));
        for (PayloadSlice slice : payload) {
            sum.add(slice.bytes());
        }
        TcpHeader.checksum(header, Short.toUnsignedInt(sum.finish()));
        counters.count(StackCounter.SEGMENTS_OUT);
        output.send(key.remoteAddress(), Ipv4Header.PROTOCOL_TCP, headerLength, payload);
    }

    /** RFC 5961 §7: true when one more challenge ACK fits this second's budget (counted either way). */
    boolean allowChallengeAck() {
        long now = timers.now();
        if (now - challengeWindowStart >= SECOND_NANOS) {
            challengeWindowStart = now;
            challengeAcksInWindow = 0;
        }
        if (challengeAcksInWindow >= CHALLENGE_ACKS_PER_SECOND) {
            counters.count(StackCounter.CHALLENGE_ACKS_SUPPRESSED);
            return false;
        }
        challengeAcksInWindow++;
        counters.count(StackCounter.CHALLENGE_ACKS);
        return true;
    }

    void remove(TcpConnection connection) {
        connections.remove(connection.key(), connection);
    }

    /** Our timestamp clock (RFC 7323 §5.4): milliseconds. */
    int timestampNow() {
        return (int) (timers.now() / 1_000_000);
    }

    public List<TcpInfo> connections() {
        List<TcpInfo> out = new ArrayList<>(connections.size());
        for (TcpConnection c : connections.values()) {
            out.add(c.info());
        }
        return out;
    }

    TcpConfig config() {
        return config;
    }

    /** A piece keeping {@code bytes} of the frame being handled in the link's buffer, or null (copy them). */
    PayloadPiece retainReceived(MemorySegment bytes) {
        return received.retain(bytes);
    }

    Ipv4Output output() {
        return output;
    }

    StackCounters counters() {
        return counters;
    }

    TimerQueue timers() {
        return timers;
    }
}
