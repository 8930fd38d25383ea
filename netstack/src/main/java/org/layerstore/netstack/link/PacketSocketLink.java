// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.PacketSocket;
import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.wire.MacAddress;

/**
 * A {@link Link} over an AF_PACKET socket bound to a Linux interface that has no IP address of its own
 * (a veth end in tests): the kernel copies each frame at {@code sendmsg}, so payload pieces need no extra
 * reference. The interface's checksum and segmentation offloads must be off on the path, or the kernel
 * hands over super-frames and unfilled checksums (the integration test turns them off with ethtool).
 */
public final class PacketSocketLink implements Link, LinkCounters, AutoCloseable {

    /** Frames received per {@link #receive} call at most, so timers run between bursts. */
    private static final int RECEIVE_BURST = 64;

    private final PacketSocket socket;
    private final MacAddress mac;
    private final int mtu;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    private final List<MemorySegment> pieces = new ArrayList<>(PacketSocket.MAX_PIECES);
    /** Single writer (the stack's thread); volatile for the telemetry reader. */
    private volatile long copiedPayloadBytes;
    private final LinkWakeup wakeup = new LinkWakeup();
    private final int[] waitable = new int[2];

    private PacketSocketLink(PacketSocket socket, MacAddress mac, int mtu) {
        this.socket = socket;
        this.mac = mac;
        this.mtu = mtu;
        // An Ethernet header and a VLAN tag beyond the MTU; a longer frame arrives cut and fails its length checks.
        this.receiveBuffer = arena.allocate(mtu + 18L, 64);
    }

    /** Opens the link on {@code interfaceName}, reading its MAC address and MTU from sysfs. */
    public static PacketSocketLink open(String interfaceName) {
        InterfaceFacts facts = InterfaceFacts.of(interfaceName);
        return new PacketSocketLink(PacketSocket.open(interfaceName), facts.mac(), facts.mtu());
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public int mtu() {
        return mtu;
    }

    @Override
    public int receive(FrameReceiver receiver, int timeoutMillis) {
        int frames = 0;
        if (!socket.awaitFrame(0)) {
            if (timeoutMillis == 0) {
                return 0;
            }
            waitable[0] = socket.descriptor();
            waitable[1] = wakeup.descriptor();
            int ready = Libc.awaitAnyReadable(waitable, 2, timeoutMillis);
            if ((ready & 2) != 0) {
                wakeup.clear();
            }
            if ((ready & 1) == 0) {
                return 0;
            }
        }
        do {
            int n = socket.receive(receiveBuffer);
            if (n <= 0) {
                break;
            }
            receiver.onFrame(receiveBuffer.asSlice(0, n));
            frames++;
        } while (frames < RECEIVE_BURST && socket.awaitFrame(0));
        return frames;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public boolean send(MemorySegment header, List<PayloadSlice> payload) {
        if (payload.size() + 1 > PacketSocket.MAX_PIECES) {
            return false;
        }
        pieces.clear();
        pieces.add(header);
        long payloadBytes = 0;
        for (PayloadSlice slice : payload) {
            pieces.add(slice.bytes());
            payloadBytes += slice.length();
        }
        if (socket.send(pieces) <= 0) {
            return false;
        }
        copiedPayloadBytes += payloadBytes;
        return true;
    }

    /** None: the kernel reads no page by bus address here. */
    @Override
    public long dmaPayloadBytes() {
        return 0;
    }

    /** Every payload byte sent: the kernel copies the frame into an skb at sendmsg. */
    @Override
    public long copiedPayloadBytes() {
        return copiedPayloadBytes;
    }

    /** None: mapped pages are not pinned on this link. */
    @Override
    public long pinnedBytes() {
        return 0;
    }

    /** None: the socket's one receive buffer is reused for the next frame, so received bytes are copied. */
    @Override
    public long receiveBuffersLent() {
        return 0;
    }

    @Override
    public void close() {
        socket.close();
        wakeup.close();
        arena.close();
    }
}
