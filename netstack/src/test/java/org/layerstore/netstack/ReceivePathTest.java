// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.layerstore.netstack.wire.TcpHeader.ACK;
import static org.layerstore.netstack.wire.TcpHeader.SYN;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.testing.Peer;
import org.layerstore.netstack.testing.RecordingLink;
import org.layerstore.netstack.testing.TcpHarness;
import org.layerstore.netstack.wire.ArpPacket;
import org.layerstore.netstack.wire.Bytes;
import org.layerstore.netstack.wire.EthernetHeader;
import org.layerstore.netstack.wire.IcmpMessage;
import org.layerstore.datapath.frames.InternetChecksum;
import org.layerstore.netstack.wire.Ipv4Header;
import org.layerstore.netstack.wire.MacAddress;

/**
 * The receive path below TCP (Ethernet, ARP, IPv4, ICMP) and its answers to bad input: every frame
 * that is not consumed is counted under a reason, and nothing a frame contains makes an exception escape.
 */
class ReceivePathTest {

    private final TcpHarness h = new TcpHarness();

    private long drops() {
        return h.stack.counters().totalDrops();
    }

    private List<byte[]> deliver(byte[] frame) {
        h.link.deliver(frame);
        h.stack.runOnce(0);
        return h.link.takeSent();
    }

    @Test
    void arpRequestForOurAddressIsAnsweredAndOthersAreNot() {
        List<byte[]> reply = deliver(Peer.arp(ArpPacket.REQUEST, MacAddress.BROADCAST));
        assertEquals(1, reply.size());
        ArpPacket answer = ArpPacket.parse(MemorySegment.ofArray(reply.get(0)).asSlice(EthernetHeader.LENGTH));
        assertEquals(ArpPacket.REPLY, answer.operation());
        assertEquals(RecordingLink.MAC, answer.senderMac());
        assertEquals(Peer.STACK, answer.senderIp());
        assertEquals(Peer.MAC, answer.targetMac());
        byte[] other = Peer.arp(ArpPacket.REQUEST, MacAddress.BROADCAST);
        Bytes.u8(MemorySegment.ofArray(other), EthernetHeader.LENGTH + 27, 99);
        assertEquals(List.of(), deliver(other));
        assertEquals(1, h.stack.counters().dropped(DropReason.ARP_NOT_FOR_US));
    }

    @Test
    void unknownNextHopIsResolvedWithOneArpRequestWhileSegmentsAreDropped() {
        TcpHarness fresh = new TcpHarness();
        // Forget the peer: a stack whose ARP entries last no time at all.
        StackConfig c = new StackConfig(Peer.STACK, 24, null, Duration.ZERO, Duration.ofSeconds(1), 16,
                org.layerstore.netstack.tcp.TcpConfig.defaults());
        NetStack stack = new NetStack(fresh.link, c, fresh.clock, new java.security.SecureRandom());
        stack.listen(80, () -> (conn, data) -> { });
        fresh.link.deliver(Peer.tcp(40000, 80, 1, 0, SYN, 8192, null, new byte[0]));
        fresh.link.deliver(Peer.tcp(40000, 80, 1, 0, SYN, 8192, null, new byte[0]));
        stack.runOnce(0);
        List<byte[]> sent = fresh.link.takeSent();
        assertEquals(1, sent.size(), "one ARP request for two SYN-ACKs");
        assertEquals(EthernetHeader.TYPE_ARP, EthernetHeader.type(MemorySegment.ofArray(sent.get(0))));
        assertEquals(MacAddress.BROADCAST, EthernetHeader.destination(MemorySegment.ofArray(sent.get(0))));
        assertEquals(2, stack.counters().dropped(DropReason.ARP_UNRESOLVED));
    }

    @Test
    void echoRequestIsAnsweredWithTheSameData() {
        byte[] body = {0, 1, 0, 2, 'p', 'i', 'n', 'g'};
        List<byte[]> out = deliver(Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, body));
        assertEquals(1, out.size());
        MemorySegment ip = MemorySegment.ofArray(out.get(0)).asSlice(EthernetHeader.LENGTH);
        MemorySegment icmp = ip.asSlice(Ipv4Header.MIN_LENGTH, Ipv4Header.totalLength(ip) - Ipv4Header.MIN_LENGTH);
        assertEquals(IcmpMessage.ECHO_REPLY, IcmpMessage.type(icmp));
        assertEquals(0, InternetChecksum.of(icmp));
        assertEquals(Peer.ADDRESS, Ipv4Header.destination(ip));
        assertEquals("ping", new String(Arrays.copyOfRange(out.get(0), out.get(0).length - 4, out.get(0).length)));
    }

    @Test
    void fragmentationNeededLowersTheConnectionsSegmentSize() {
        TcpHarness.Handler app = h.handshake(TcpHarness.linuxSynOptions(), 65535);
        app.connection.write(org.layerstore.netstack.buffer.PayloadPiece.unowned(MemorySegment.ofArray(new byte[3000])));
        List<byte[]> frames = h.link.takeSent();
        List<Peer.Sent> before = Peer.segments(frames);
        assertEquals(1448, before.get(0).payload().length);
        // The quoted datagram: our IPv4 header and the first 8 bytes of our TCP header.
        byte[] quoted = Arrays.copyOfRange(frames.get(0), EthernetHeader.LENGTH,
                EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH + 8);
        byte[] body = new byte[4 + quoted.length];
        Bytes.u16(MemorySegment.ofArray(body), 2, 1200);
        System.arraycopy(quoted, 0, body, 4, quoted.length);
        List<Peer.Sent> after = Peer.segments(deliver(Peer.icmp(IcmpMessage.DESTINATION_UNREACHABLE,
                IcmpMessage.CODE_FRAGMENTATION_NEEDED, body)));
        assertEquals(1, h.stack.counters().get(StackCounter.PATH_MTU_DECREASES));
        assertTrue(after.size() >= 2, "what was in flight goes again in the smaller size");
        assertEquals(1200 - 40 - 12, after.get(0).payload().length);
        assertEquals(before.get(0).seq(), after.get(0).seq());
    }

    @Test
    void fragmentsAreDroppedAndCounted() {
        byte[] frame = Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[8]);
        MemorySegment ip = MemorySegment.ofArray(frame).asSlice(EthernetHeader.LENGTH);
        Bytes.u16(ip, 6, Ipv4Header.FLAG_MF);
        Bytes.u16(ip, 10, 0);
        Bytes.u16(ip, 10, InternetChecksum.of(ip.asSlice(0, Ipv4Header.MIN_LENGTH)));
        assertEquals(List.of(), deliver(frame));
        assertEquals(1, h.stack.counters().dropped(DropReason.IPV4_FRAGMENT));
    }

    @Test
    void badChecksumsAreDroppedAndCounted() {
        byte[] tcp = Peer.tcp(40000, 80, 1, 0, SYN, 8192, null, new byte[0]);
        tcp[tcp.length - 3] ^= 1;
        assertEquals(List.of(), deliver(tcp));
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_BAD_CHECKSUM));
        byte[] ip = Peer.tcp(40000, 80, 1, 0, SYN, 8192, null, new byte[0]);
        ip[EthernetHeader.LENGTH + 8] ^= 1;
        assertEquals(List.of(), deliver(ip));
        assertEquals(1, h.stack.counters().dropped(DropReason.IPV4_BAD_CHECKSUM));
        byte[] icmp = Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[8]);
        icmp[icmp.length - 1] ^= 1;
        assertEquals(List.of(), deliver(icmp));
        assertEquals(1, h.stack.counters().dropped(DropReason.ICMP_BAD_CHECKSUM));
    }

    @Test
    void garbageTcpOptionsDropTheSegmentAndCountIt() {
        byte[] frame = Peer.tcp(40000, 80, 1, 0, SYN, 8192, null, new byte[] {2, 0, 0, 0});
        MemorySegment t = MemorySegment.ofArray(frame).asSlice(EthernetHeader.LENGTH + Ipv4Header.MIN_LENGTH);
        // Make the 4 payload bytes an options field holding an option of length 0.
        Bytes.u8(t, 12, 6 << 4);
        Bytes.u16(t, 16, 0);
        Bytes.u16(t, 16, org.layerstore.netstack.wire.TcpHeader.pseudoHeader(Peer.ADDRESS, Peer.STACK, 24).add(t)
                .finish());
        assertEquals(List.of(), deliver(frame));
        assertEquals(1, h.stack.counters().dropped(DropReason.TCP_BAD_OPTIONS));
    }

    @Test
    void everyTruncationOfValidFramesIsDroppedUnderAReason() {
        List<byte[]> frames = List.of(Peer.arp(ArpPacket.REQUEST, MacAddress.BROADCAST),
                Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[40]),
                Peer.tcp(40000, 80, 1, 0, SYN, 8192, TcpHarness.linuxSynOptions(), new byte[0]),
                Peer.tcp(40000, 80, 1, 0, ACK, 8192, null, new byte[100]));
        for (byte[] frame : frames) {
            for (int length = 0; length < frame.length; length++) {
                long before = drops();
                List<byte[]> out = deliver(Arrays.copyOf(frame, length));
                assertEquals(before + 1, drops(), "a frame cut to " + length + " of " + frame.length + " bytes");
                assertEquals(List.of(), out, "no answer to a truncated frame");
            }
        }
    }

    @Test
    void randomlyCorruptedFramesNeverThrowAndAreCountedWhenDropped() {
        Random random = new Random(791);
        List<byte[]> frames = List.of(Peer.arp(ArpPacket.REQUEST, MacAddress.BROADCAST),
                Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[40]),
                Peer.tcp(40000, 80, 1, 0, SYN, 8192, TcpHarness.linuxSynOptions(), new byte[0]),
                Peer.tcp(40000, 80, 1, 0, ACK, 8192, null, new byte[100]));
        for (int i = 0; i < 20_000; i++) {
            byte[] frame = frames.get(random.nextInt(frames.size())).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                frame[random.nextInt(frame.length)] ^= (byte) (1 << random.nextInt(8));
            }
            if (random.nextInt(4) == 0) {
                frame = Arrays.copyOf(frame, random.nextInt(frame.length + 1));
            }
            long framesIn = h.stack.counters().get(StackCounter.FRAMES_IN);
            deliver(frame);
            assertEquals(framesIn + 1, h.stack.counters().get(StackCounter.FRAMES_IN));
        }
        StackCounters c = h.stack.counters();
        long consumed = c.get(StackCounter.SEGMENTS_IN) + c.get(StackCounter.ARP_REPLIES_SENT)
                + c.get(StackCounter.ICMP_ECHO_REPLIES) + c.dropped(DropReason.ARP_NOT_FOR_US);
        assertTrue(c.totalDrops() + consumed >= c.get(StackCounter.FRAMES_IN) - 1,
                "every frame was consumed or dropped under a reason: " + c.snapshot());
    }

    @Test
    void framesForOtherMacsAndEtherTypesAreCounted() {
        byte[] other = Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[8]);
        MacAddress.parse("02:00:00:00:00:99").write(MemorySegment.ofArray(other), 0);
        deliver(other);
        assertEquals(1, h.stack.counters().dropped(DropReason.NOT_OUR_MAC));
        byte[] ipv6 = Peer.icmp(IcmpMessage.ECHO_REQUEST, 0, new byte[8]);
        Bytes.u16(MemorySegment.ofArray(ipv6), 12, 0x86DD);
        deliver(ipv6);
        assertEquals(1, h.stack.counters().dropped(DropReason.UNSUPPORTED_ETHERTYPE));
    }
}
