// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;

import org.layerstore.netstack.arp.ArpCache;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.link.FilePieceSource;
import org.layerstore.netstack.link.Link;
import org.layerstore.netstack.tcp.TcpHandler;
import org.layerstore.netstack.tcp.TcpInfo;
import org.layerstore.netstack.tcp.TcpLayer;
import org.layerstore.netstack.tcp.TcpListener;
import org.layerstore.netstack.time.Clock;
import org.layerstore.netstack.time.TimerQueue;
import org.layerstore.netstack.wire.ArpPacket;
import org.layerstore.netstack.wire.EthernetHeader;
import org.layerstore.netstack.wire.IcmpMessage;
import org.layerstore.datapath.frames.InternetChecksum;
import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.Ipv4Header;
import org.layerstore.netstack.wire.MacAddress;
import org.layerstore.netstack.wire.TcpHeader;

/**
 * The user-space stack on one {@link Link}: Ethernet II, ARP, IPv4, ICMP and a TCP server, run by one
 * event-loop thread that calls {@link #runOnce} (receive a burst, run due timers) over and over. Nothing
 * in it locks; everything but {@link #counters} must be used from that thread (or before it starts).
 *
 * <p>Every received frame is either consumed or dropped with a {@link DropReason} counted; no exception
 * from a frame's content escapes {@link #runOnce}.
 */
public final class NetStack implements Ipv4Output {

    private static final int HEADERS = EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH;
    /** Bursts of received frames handled at most before due timers run (see {@link #runOnce}). */
    private static final int MAX_BURSTS_BEFORE_TIMERS = 16;
    /** RFC 1191 §5: a fragmentation-needed message without a next-hop MTU; take the smallest plateau. */
    private static final int MTU_WITHOUT_NEXT_HOP = 576;

    private final Link link;
    private final StackConfig config;
    private final StackCounters counters = new StackCounters();
    private final TimerQueue timers;
    private final ArpCache arp;
    private final TcpLayer tcp;
    private final Arena arena = Arena.ofShared();
    private final Link.FrameReceiver receiver = new Receiver();
    private final MemorySegment headerBuffer;
    private int identification;

    public NetStack(Link link, StackConfig config, Clock clock, SecureRandom random) {
        this.link = link;
        this.config = config;
        this.timers = new TimerQueue(clock);
        this.arp = new ArpCache(config.arpLifetime().toNanos(), config.arpRetry().toNanos(), config.arpCapacity());
        this.headerBuffer = arena.allocate(EthernetHeader.LENGTH + (long) link.mtu(), 64);
        this.tcp = new TcpLayer(config.tcp(), this, counters, timers, random, link::retainReceived);
    }

    /** Listens on TCP {@code port}; each connection gets a handler from {@code handlers}. */
    public TcpListener listen(int port, Supplier<TcpHandler> handlers) {
        return tcp.listen(port, handlers);
    }

    /** Stops listening on {@code listener}'s port; its connections carry on. */
    public void unlisten(TcpListener listener) {
        tcp.unlisten(listener);
    }

    /**
     * One turn of the event loop: waits for frames up to {@code maxWaitMillis} or the next timer, whichever
     * is sooner, handles the frames received, runs the timers due, and flushes the frames all that sent to the link
     * ({@link Link#flush}: one burst). Returns the frames handled.
     *
     * <p>When a timer is due, the frames already waiting are handled first (up to
     * {@value #MAX_BURSTS_BEFORE_TIMERS} bursts): after the loop stalled (descheduled, a send waiting for
     * TX confirmations) the ACKs queued behind the first burst would otherwise meet the retransmission
     * timers they stop, and each such spurious RTO sends data again and cuts cwnd to one segment.
     */
    public int runOnce(int maxWaitMillis) {
        long toTimer = timers.nanosToNext();
        int wait = (int) Math.min(maxWaitMillis, (toTimer + 999_999) / 1_000_000);
        int frames = link.receive(receiver, Math.max(wait, 0));
        for (int burst = 1, n = frames; n > 0 && burst < MAX_BURSTS_BEFORE_TIMERS && timers.nanosToNext() == 0;
                burst++) {
            n = link.receive(receiver, 0);
            frames += n;
        }
        timers.runDue();
        link.flush(); // the frames of this turn go to the hardware together
        return frames;
    }

    /** Ends the stack's current or next wait in {@link #runOnce} early; safe from any thread. */
    public void wakeup() {
        link.wakeup();
    }

    public StackCounters counters() {
        return counters;
    }

    /** A snapshot of every connection (event-loop thread only). */
    public List<TcpInfo> connections() {
        return tcp.connections();
    }

    /** How file bodies become pieces the link sends without a CPU copy (see {@link Link#filePieces()}). */
    public FilePieceSource filePieces() {
        return link.filePieces();
    }

    public StackConfig config() {
        return config;
    }

    public TimerQueue timers() {
        return timers;
    }

    // ---- receive ------------------------------------------------------------------------------------

    /** The link's frames, and those its hardware rejected, counted as dropped by the link. */
    private final class Receiver implements Link.FrameReceiver {

        @Override
        public void onFrame(MemorySegment frame) {
            NetStack.this.onFrame(frame);
        }

        @Override
        public void onRejectedFrame() {
            counters.count(StackCounter.FRAMES_IN);
            counters.drop(DropReason.LINK_RX_ERROR);
        }
    }

    /** Ethernet II demultiplexing: ours or broadcast, then ARP or IPv4. */
    void onFrame(MemorySegment frame) {
        counters.count(StackCounter.FRAMES_IN);
        if (frame.byteSize() < EthernetHeader.LENGTH) {
            counters.drop(DropReason.FRAME_TOO_SHORT);
            return;
        }
        MacAddress destination = EthernetHeader.destination(frame);
        if (!destination.equals(link.macAddress()) && !destination.equals(MacAddress.BROADCAST)) {
            counters.drop(DropReason.NOT_OUR_MAC);
            return;
        }
        MemorySegment body = frame.asSlice(EthernetHeader.LENGTH);
        switch (EthernetHeader.type(frame)) {
            case EthernetHeader.TYPE_ARP -> onArp(body);
            case EthernetHeader.TYPE_IPV4 -> onIpv4(body);
            default -> counters.drop(DropReason.UNSUPPORTED_ETHERTYPE);
        }
    }

    /** RFC 826 packet reception: merge the sender, answer a request for our address. */
    private void onArp(MemorySegment body) {
        ArpPacket packet = ArpPacket.parse(body);
        if (packet == null) {
            counters.drop(DropReason.ARP_MALFORMED);
            return;
        }
        boolean forUs = packet.targetIp().equals(config.address());
        arp.learn(packet.senderIp(), packet.senderMac(), forUs, timers.now());
        if (!forUs) {
            counters.drop(DropReason.ARP_NOT_FOR_US);
            return;
        }
        if (packet.operation() == ArpPacket.REQUEST) {
            sendArp(ArpPacket.REPLY, packet.senderMac(), packet.senderIp(), packet.senderMac());
            counters.count(StackCounter.ARP_REPLIES_SENT);
        }
    }

    /** RFC 791 §3.2 receive checks; fragments are dropped and counted (never reassembled). */
    private void onIpv4(MemorySegment body) {
        if (body.byteSize() < Ipv4Header.MIN_LENGTH) {
            counters.drop(DropReason.FRAME_TOO_SHORT);
            return;
        }
        int headerLength = Ipv4Header.headerLength(body);
        int totalLength = Ipv4Header.totalLength(body);
        if (Ipv4Header.version(body) != 4 || headerLength < Ipv4Header.MIN_LENGTH || totalLength < headerLength
                || totalLength > body.byteSize()) {
            counters.drop(DropReason.IPV4_MALFORMED);
            return;
        }
        if (InternetChecksum.of(body.asSlice(0, headerLength)) != 0) {
            counters.drop(DropReason.IPV4_BAD_CHECKSUM);
            return;
        }
        if (Ipv4Header.isFragment(body)) {
            counters.drop(DropReason.IPV4_FRAGMENT);
            return;
        }
        Ipv4Address destination = Ipv4Header.destination(body);
        if (!destination.equals(config.address())) {
            counters.drop(DropReason.IPV4_NOT_OUR_ADDRESS);
            return;
        }
        // Ethernet pads short frames: the datagram ends at its total length.
        MemorySegment payload = body.asSlice(headerLength, totalLength - headerLength);
        Ipv4Address source = Ipv4Header.source(body);
        switch (Ipv4Header.protocol(body)) {
            case Ipv4Header.PROTOCOL_TCP -> tcp.receive(source, destination, payload);
            case Ipv4Header.PROTOCOL_ICMP -> onIcmp(source, payload);
            default -> counters.drop(DropReason.IPV4_UNSUPPORTED_PROTOCOL);
        }
    }

    /** RFC 792: echo requests are answered; fragmentation-needed goes to TCP (RFC 1191); the rest is counted. */
    private void onIcmp(Ipv4Address source, MemorySegment message) {
        if (message.byteSize() < IcmpMessage.HEADER_LENGTH) {
            counters.drop(DropReason.ICMP_MALFORMED);
            return;
        }
        if (InternetChecksum.of(message) != 0) {
            counters.drop(DropReason.ICMP_BAD_CHECKSUM);
            return;
        }
        int type = IcmpMessage.type(message);
        if (type == IcmpMessage.ECHO_REQUEST) {
            answerEcho(source, message);
        } else if (type == IcmpMessage.DESTINATION_UNREACHABLE
                && IcmpMessage.code(message) == IcmpMessage.CODE_FRAGMENTATION_NEEDED) {
            onFragmentationNeeded(message);
        } else {
            counters.drop(DropReason.ICMP_IGNORED);
        }
    }

    /** RFC 792 echo reply: the same identifier, sequence and data, type 0. */
    private void answerEcho(Ipv4Address source, MemorySegment request) {
        MemorySegment reply = transportHeader();
        if (request.byteSize() > reply.byteSize()) {
            counters.drop(DropReason.ICMP_MALFORMED);
            return;
        }
        MemorySegment.copy(request, 0, reply, 0, request.byteSize());
        IcmpMessage.finish(reply.asSlice(0, request.byteSize()), IcmpMessage.ECHO_REPLY, 0);
        counters.count(StackCounter.ICMP_ECHO_REPLIES);
        send(source, Ipv4Header.PROTOCOL_ICMP, (int) request.byteSize(), List.of());
    }

    /** RFC 1191 §4: the quoted datagram names the connection; its next-hop MTU lowers that connection's MSS. */
    private void onFragmentationNeeded(MemorySegment message) {
        MemorySegment quoted = IcmpMessage.quoted(message);
        if (quoted.byteSize() < Ipv4Header.MIN_LENGTH || Ipv4Header.version(quoted) != 4) {
            counters.drop(DropReason.ICMP_MALFORMED);
            return;
        }
        int headerLength = Ipv4Header.headerLength(quoted);
        // RFC 792: the original header plus its first 64 bits of data, enough for the TCP ports.
        if (headerLength < Ipv4Header.MIN_LENGTH || quoted.byteSize() < headerLength + 8L
                || Ipv4Header.protocol(quoted) != Ipv4Header.PROTOCOL_TCP
                || !Ipv4Header.source(quoted).equals(config.address())) {
            counters.drop(DropReason.ICMP_IGNORED);
            return;
        }
        MemorySegment tcpHeader = quoted.asSlice(headerLength);
        int mtu = IcmpMessage.nextHopMtu(message);
        tcp.onFragmentationNeeded(Ipv4Header.destination(quoted), TcpHeader.destinationPort(tcpHeader),
                TcpHeader.sourcePort(tcpHeader), mtu == 0 ? MTU_WITHOUT_NEXT_HOP : mtu);
    }

    // ---- send ---------------------------------------------------------------------------------------

    @Override
    public Ipv4Address localAddress() {
        return config.address();
    }

    @Override
    public int mtu() {
        return link.mtu();
    }

    @Override
    public MemorySegment transportHeader() {
        return headerBuffer.asSlice(HEADERS, link.mtu() - Ipv4Header.MIN_LENGTH);
    }

    @Override
    public void send(Ipv4Address destination, int protocol, int transportHeaderLength, List<PayloadSlice> payload) {
        Ipv4Address nextHop = nextHop(destination);
        if (nextHop == null) {
            counters.drop(DropReason.NO_ROUTE);
            return;
        }
        MacAddress mac = arp.lookup(nextHop, timers.now());
        if (mac == null) {
            requestMac(nextHop);
            counters.drop(DropReason.ARP_UNRESOLVED);
            return;
        }
        int payloadLength = 0;
        for (PayloadSlice slice : payload) {
            payloadLength += slice.length();
        }
        EthernetHeader.write(headerBuffer, mac, link.macAddress(), EthernetHeader.TYPE_IPV4);
        Ipv4Header.write(headerBuffer.asSlice(EthernetHeader.LENGTH),
                Ipv4Header.MIN_LENGTH + transportHeaderLength + payloadLength, identification++ & 0xFFFF, protocol,
                config.address(), destination);
        transmit(headerBuffer.asSlice(0, HEADERS + transportHeaderLength), payload);
    }

    private Ipv4Address nextHop(Ipv4Address destination) {
        if (destination.sameSubnet(config.address(), config.prefixLength())) {
            return destination;
        }
        return config.gateway();
    }

    private void requestMac(Ipv4Address address) {
        if (arp.shouldRequest(address, timers.now())) {
            sendArp(ArpPacket.REQUEST, MacAddress.BROADCAST, address, MacAddress.ZERO);
            counters.count(StackCounter.ARP_REQUESTS_SENT);
        }
    }

    private void sendArp(int operation, MacAddress frameDestination, Ipv4Address targetIp, MacAddress targetMac) {
        EthernetHeader.write(headerBuffer, frameDestination, link.macAddress(), EthernetHeader.TYPE_ARP);
        new ArpPacket(operation, link.macAddress(), config.address(), targetMac, targetIp)
                .write(headerBuffer.asSlice(EthernetHeader.LENGTH, ArpPacket.LENGTH));
        transmit(headerBuffer.asSlice(0, EthernetHeader.LENGTH + ArpPacket.LENGTH), List.of());
    }

    @Override
    public void payloadUnreadable(String detail) {
        counters.drop(DropReason.PAYLOAD_UNREADABLE);
        link.payloadUnreadable(detail);
    }

    private void transmit(MemorySegment header, List<PayloadSlice> payload) {
        if (link.send(header, payload)) {
            counters.count(StackCounter.FRAMES_OUT);
        } else {
            counters.drop(DropReason.LINK_SEND_FAILED);
        }
    }
}
