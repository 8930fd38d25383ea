// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.PacketSocket;

/**
 * One direction of the relay, on a thread of its own: reads frames from one end's packet socket, offers
 * each to its {@link ImpairedQueue}, and writes the copies to the other end's socket when they are due.
 * Frames wait in buffers of {@value #FRAME_BYTES} bytes taken from a free list that grows up to the
 * queue's largest limit.
 *
 * <p>This thread is the only one that receives on {@code in} and the only one that sends on {@code out};
 * the opposite direction's thread does the reverse, which {@link PacketSocket} allows (its send state and
 * its receive state are separate, and the HAL's call state is per thread).
 */
final class Forwarder implements Runnable {

    /** Larger than any frame on a veth with offloads off (1514 bytes, 1518 with a VLAN tag). */
    static final int FRAME_BYTES = 2048;
    /** Longest wait for a frame, so a stop request is seen within it. */
    private static final int IDLE_MILLIS = 50;
    private static final int ETHERTYPE_OFFSET = 12;
    private static final short ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERNET_HEADER_BYTES = 14;

    /** A frame's buffer and how many of its queued copies are still to be sent. */
    private static final class Frame {
        final MemorySegment bytes;
        int length;
        int copiesLeft;

        Frame(MemorySegment bytes) {
            this.bytes = bytes;
        }
    }

    private final PacketSocket in;
    private final PacketSocket out;
    private final ImpairedQueue<Frame> queue;
    private final RelayCounters counters;
    /** The frame buffers' memory, confined to the forwarding thread (made when it starts). */
    private Arena arena;
    private final ArrayDeque<Frame> free = new ArrayDeque<>();
    private volatile boolean running = true;

    Forwarder(PacketSocket in, PacketSocket out, long seed, RelayCounters counters) {
        this.in = in;
        this.out = out;
        this.counters = counters;
        this.queue = new ImpairedQueue<>(seed, counters);
    }

    void impairment(Impairment impairment) {
        queue.impairment(impairment);
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        arena = Arena.ofConfined();
        try {
            while (running) {
                sendDue();
                if (in.awaitFrame(waitMillis())) {
                    receiveOne();
                }
            }
        } finally {
            arena.close();
        }
    }

    private int waitMillis() {
        long next = queue.nextDue();
        if (next == Long.MAX_VALUE) {
            return IDLE_MILLIS;
        }
        long nanos = next - System.nanoTime();
        return nanos <= 0 ? 0 : (int) Math.min(IDLE_MILLIS, TimeUnit.NANOSECONDS.toMillis(nanos + 999_999));
    }

    private void receiveOne() {
        Frame frame = free.isEmpty() ? new Frame(arena.allocate(FRAME_BYTES)) : free.pop();
        int n = in.receive(frame.bytes);
        if (n <= 0) {
            free.push(frame);
            return;
        }
        if (n >= FRAME_BYTES) {
            counters.increment(RelayCounter.RECEIVED);
            counters.increment(RelayCounter.TOO_LONG);
            free.push(frame);
            return;
        }
        frame.length = n;
        // Only the IPv4 datagram is corrupted, where its header or TCP/UDP/ICMP checksum catches the flip
        // (veth frames have no FCS); an ARP frame has no checksum, and a corrupted one would poison a cache.
        boolean ipv4 = n > ETHERNET_HEADER_BYTES
                && frame.bytes.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN),
                        ETHERTYPE_OFFSET) == ETHERTYPE_IPV4;
        frame.copiesLeft = queue.offer(frame, ETHERNET_HEADER_BYTES, ipv4 ? n : ETHERNET_HEADER_BYTES, System.nanoTime());
        if (frame.copiesLeft == 0) {
            free.push(frame);
        }
    }

    private void sendDue() {
        ImpairedQueue.Copy<Frame> copy;
        while ((copy = queue.poll(System.nanoTime())) != null) {
            Frame frame = copy.frame();
            if (copy.corrupted()) {
                flip(frame, copy);
            }
            try {
                out.send(List.of(frame.bytes.asSlice(0, frame.length)));
                counters.increment(RelayCounter.FORWARDED);
            } catch (NativeCallException e) {
                counters.increment(RelayCounter.SEND_FAILED);
            }
            if (copy.corrupted()) {
                flip(frame, copy);
            }
            if (--frame.copiesLeft == 0) {
                free.push(frame);
            }
        }
    }

    /** Flips the copy's bit (twice restores it: a duplicate of a corrupted frame goes out intact). */
    private static void flip(Frame frame, ImpairedQueue.Copy<Frame> copy) {
        byte b = frame.bytes.get(ValueLayout.JAVA_BYTE, copy.corruptAt());
        frame.bytes.set(ValueLayout.JAVA_BYTE, copy.corruptAt(), (byte) (b ^ (1 << copy.corruptBit())));
    }
}
