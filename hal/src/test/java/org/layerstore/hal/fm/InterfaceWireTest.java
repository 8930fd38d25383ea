// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.layerstore.hal.HalException;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_prs_result;
import org.layerstore.hal.dpaa.BmBuffer;
import org.layerstore.hal.dpaa.FdFormat;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;

/**
 * An emulated port on one end of a real veth pair, the kernel in a network namespace on the other: the
 * kernel's ARP requests arrive in BMan buffers through the port's RX queue, an ARP reply the port
 * transmits teaches the kernel the port's MAC, and then the kernel's ICMP echo requests arrive with the
 * parser's IPv4 results. Needs root (network namespaces, CAP_NET_RAW), ip and ping.
 */
class InterfaceWireTest {

    private static final int PORT = 3;
    private static final int BUFFERS = 16;
    private static final int BUFFER_SIZE = 2048;
    private static final int DATA_OFFSET = 64;
    private static final String PEER_ADDRESS = "192.0.2.1";
    private static final String PORT_ADDRESS = "192.0.2.77";
    private static final byte[] PORT_MAC = {0x02, 0x4c, 0x53, 0x77, 0x69, 0x01};
    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private String namespace;
    private String portEnd;
    private String peerEnd;
    private Arena arena;
    private FrameManager fm;
    private MemorySegment memory;
    private DmaRegion region;
    private int bpid;
    private int rxQueue;
    private int txQueue;
    private Confirmations received;
    private Process ping;

    @BeforeEach
    void createVethPair() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces and AF_PACKET");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")),
                "ip (iproute2) is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ping")) || Files.isExecutable(Path.of("/bin/ping")),
                "ping (iputils-ping) is not installed");
        BackendAvailability availability = EmulatedFrameManager.availability();
        assumeTrue(availability.available(), availability.reason());
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        namespace = "lswi-peer-" + tag;
        portEnd = "lswi" + tag + "s";
        peerEnd = "lswi" + tag + "p";
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", portEnd, "type", "veth", "peer", "name", peerEnd);
        run("ip", "link", "set", peerEnd, "netns", namespace);
        run("sysctl", "-q", "-w", "net.ipv6.conf." + portEnd + ".disable_ipv6=1");
        // The host's own addresses must not be answered for on the port's wire: only the port speaks there.
        run("sysctl", "-q", "-w", "net.ipv4.conf." + portEnd + ".arp_ignore=8");
        run("ip", "link", "set", portEnd, "up");
        run("ip", "netns", "exec", namespace, "ip", "addr", "add", PEER_ADDRESS + "/24", "dev", peerEnd);
        run("ip", "netns", "exec", namespace, "ip", "link", "set", peerEnd, "up");

        arena = Arena.ofShared();
        fm = EmulatedFrameManager.open(FrameManagerConfig.defaults(PORT).withSmmu(true));
        memory = arena.allocate((long) BUFFERS * BUFFER_SIZE + Libc.pageSize(), Libc.pageSize());
        region = fm.registerDma(memory, null);
        bpid = fm.createPool(BUFFERS);
        MemorySegment burst = arena.allocate(BmBuffer.BYTES * BmBuffer.BURST_MAX, 8);
        for (int i = 0; i < BUFFERS; i++) {
            BmBuffer.at(burst, 0).address(region.busBase() + (long) i * BUFFER_SIZE).bpid(bpid);
            fm.release(bpid, burst, 1);
        }
        rxQueue = fm.createReceiveQueue(0x5258);
        txQueue = fm.createTxQueue(PORT, 0);
        received = Confirmations.allocate(arena, 16);
    }

    @AfterEach
    void removeVethPair() throws InterruptedException {
        if (ping != null) {
            ping.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (fm != null) {
            fm.close();
            arena.close();
        }
        if (namespace != null) {
            attempt("ip", "netns", "del", namespace);
            attempt("ip", "link", "del", portEnd);
        }
    }

    @Test
    void kernelFramesArriveInPoolBuffersAndTheReplyLeavesOnTheInterface() throws Exception {
        fm.bindPort(PORT, TxTarget.networkInterface(portEnd));
        fm.receiveOn(PORT, new ReceivePort(rxQueue, bpid, BUFFER_SIZE, DATA_OFFSET));
        int notifier = fm.confirmNotifier(rxQueue, 1);
        ping = new ProcessBuilder("ip", "netns", "exec", namespace, "ping", "-c", "20", "-i", "0.2", "-W", "1",
                PORT_ADDRESS).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

        MemorySegment request = nextFrame(notifier, 0x0806);
        assertTrue(fm.poolCount(bpid) < BUFFERS, "the frame holds a pool buffer");
        assertTrue(request.byteSize() >= 42, "an ARP request: " + request.byteSize() + " bytes");
        byte[] peerMac = request.asSlice(6, 6).toArray(ValueLayout.JAVA_BYTE);
        release(received.descriptor(0).address());

        transmit(arpReply(peerMac));
        MemorySegment echo = nextFrame(notifier, 0x0800);
        FrameDescriptor fd = received.descriptor(0);
        assertEquals(0, fd.status() & FrameDescriptor.STATUS_RX_ERRORS);
        MemorySegment prs = buffer(fd.address()).asSlice(ReceivePort.PARSE_RESULT_OFFSET,
                lsh_prs_result.layout().byteSize());
        assertEquals((short) hal_h.LSH_PRS_L3_IPV4(), prs.get(BE16, lsh_prs_result.l3r$offset()));
        assertEquals(14, lsh_prs_result.ip_off(prs).get(ValueLayout.JAVA_BYTE, 0));
        assertEquals(1, echo.get(ValueLayout.JAVA_BYTE, 14 + 9), "ICMP");
        assertEquals(8, echo.get(ValueLayout.JAVA_BYTE, 34), "an echo request");
        assertEquals(HexFormat.ofDelimiter(":").formatHex(PORT_MAC), peerNeighbour(),
                "the kernel learnt the port's MAC from the reply it transmitted");
        release(fd.address());

        FrameCounters counters = fm.counters();
        assertTrue(counters.rxFrames() >= 2 && counters.rxBytes() >= 42 + 98, counters.toString());
        assertEquals(0, counters.rxErrors());
        assertEquals(1, counters.frames(), "the ARP reply was transmitted");
    }

    @Test
    void anEmptyPoolDiscardsFramesAndCountsThem() throws Exception {
        MemorySegment burst = arena.allocate(BmBuffer.BYTES * BmBuffer.BURST_MAX, 8);
        assertTrue(fm.acquire(bpid, burst, BmBuffer.BURST_MAX));
        assertTrue(fm.acquire(bpid, burst, BmBuffer.BURST_MAX));
        assertEquals(0, fm.poolCount(bpid));
        fm.bindPort(PORT, TxTarget.networkInterface(portEnd));
        fm.receiveOn(PORT, new ReceivePort(rxQueue, bpid, BUFFER_SIZE, DATA_OFFSET));
        ping = new ProcessBuilder("ip", "netns", "exec", namespace, "ping", "-c", "3", "-i", "0.2", "-W", "1",
                PORT_ADDRESS).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        ping.waitFor(20, TimeUnit.SECONDS);
        assertEquals(0, fm.dequeueConfirmations(rxQueue, received));
        assertTrue(fm.counters().rxNoBuffer() > 0, fm.counters().toString());
    }

    @Test
    void bindingNeedsAnExistingInterfaceAndReceivingNeedsABoundOne() {
        HalException unknown = assertThrows(HalException.class,
                () -> fm.bindPort(PORT, TxTarget.networkInterface("lswi-none")));
        assertEquals(Errno.ENODEV, unknown.errno().code());
        HalException unbound = assertThrows(HalException.class,
                () -> fm.receiveOn(PORT, new ReceivePort(rxQueue, bpid, BUFFER_SIZE, DATA_OFFSET)));
        assertEquals(Errno.ENOTCONN, unbound.errno().code());
    }

    /** Waits (in poll on the RX notifier) for the next frame of {@code etherType}, releasing others. */
    private MemorySegment nextFrame(int notifier, int etherType) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            fm.acknowledgeNotification(rxQueue);
            while (fm.dequeueConfirmations(rxQueue, received) > 0) {
                FrameDescriptor fd = received.descriptor(0);
                assertEquals(rxQueue, received.fqid(0));
                assertEquals(0x5258, received.contextB(0));
                assertEquals(FdFormat.CONTIG, fd.format());
                assertEquals(bpid, fd.bpid());
                assertEquals(DATA_OFFSET, fd.offset());
                MemorySegment frame = buffer(fd.address()).asSlice(fd.offset(), fd.length());
                if ((frame.get(BE16, 12) & 0xFFFF) == etherType) {
                    return frame;
                }
                release(fd.address());
            }
            FrameManagerContract.readable(notifier, 200);
        }
        throw new AssertionError("no frame of ethertype 0x" + Integer.toHexString(etherType) + " arrived; "
                + fm.counters());
    }

    private MemorySegment buffer(long bus) {
        return memory.asSlice(bus - region.busBase(), BUFFER_SIZE);
    }

    private void release(long bus) {
        MemorySegment one = arena.allocate(BmBuffer.BYTES, 8);
        BmBuffer.at(one, 0).address(bus).bpid(bpid);
        fm.release(bpid, one, 1);
    }

    /** An RFC 826 reply: the port's MAC has the port's address. */
    private byte[] arpReply(byte[] peerMac) {
        byte[] f = new byte[42];
        System.arraycopy(peerMac, 0, f, 0, 6);
        System.arraycopy(PORT_MAC, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        byte[] body = {0, 1, 8, 0, 6, 4, 0, 2};
        System.arraycopy(body, 0, f, 14, body.length);
        System.arraycopy(PORT_MAC, 0, f, 22, 6);
        System.arraycopy(new byte[] {(byte) 192, 0, 2, 77}, 0, f, 28, 4);
        System.arraycopy(peerMac, 0, f, 32, 6);
        System.arraycopy(new byte[] {(byte) 192, 0, 2, 1}, 0, f, 38, 4);
        return f;
    }

    /** Transmits {@code frame} from the buffer past the pool's, contiguous, no confirmation. */
    private void transmit(byte[] frame) {
        long offset = (long) BUFFERS * BUFFER_SIZE;
        MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, offset, frame.length);
        MemorySegment descriptor = arena.allocate(FrameDescriptor.BYTES, 8);
        FrameDescriptor.at(descriptor, 0).clear().contiguous(region.busBase() + offset, 0, frame.length)
                .bpid(FrameDescriptor.BPID_NONE);
        assertEquals(1, fm.enqueue(txQueue, descriptor, 1));
        assertTrue(fm.drain(Duration.ofSeconds(10)));
    }

    private String peerNeighbour() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = attempt("ip", "netns", "exec", namespace, "ip", "neigh", "show", PORT_ADDRESS, "dev", peerEnd);
            int at = out.indexOf("lladdr ");
            if (at >= 0) {
                return out.substring(at + 7, at + 24);
            }
            Thread.sleep(100);
        }
        return out;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + List.of(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String attempt(String... command) {
        try {
            return run(command);
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }
}
