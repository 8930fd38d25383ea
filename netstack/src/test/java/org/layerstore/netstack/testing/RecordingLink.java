// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.netstack.buffer.PayloadSlice;
import org.layerstore.netstack.link.Link;
import org.layerstore.netstack.wire.MacAddress;

/** A link in memory: frames queued by the test come in, frames sent are recorded as bytes. */
public final class RecordingLink implements Link {

    public static final MacAddress MAC = MacAddress.parse("02:4c:53:00:00:02");

    private final ArrayDeque<byte[]> inbound = new ArrayDeque<>();
    private final List<byte[]> sent = new ArrayList<>();
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment buffer = arena.allocate(2048);
    private int burst = Integer.MAX_VALUE;

    public void deliver(byte[] frame) {
        inbound.add(frame);
    }

    /** Hands at most {@code frames} queued frames to each {@link #receive}, as a link's bounded burst does. */
    public void burst(int frames) {
        burst = frames;
    }

    /** Frames sent since the last call, oldest first. */
    public List<byte[]> takeSent() {
        List<byte[]> out = new ArrayList<>(sent);
        sent.clear();
        return out;
    }

    @Override
    public MacAddress macAddress() {
        return MAC;
    }

    @Override
    public int mtu() {
        return 1500;
    }

    @Override
    public int receive(FrameReceiver receiver, int timeoutMillis) {
        int n = 0;
        while (!inbound.isEmpty() && n < burst) {
            byte[] frame = inbound.poll();
            MemorySegment.copy(MemorySegment.ofArray(frame), 0, buffer, 0, frame.length);
            receiver.onFrame(buffer.asSlice(0, frame.length));
            n++;
        }
        return n;
    }

    @Override
    public boolean send(MemorySegment header, List<PayloadSlice> payload) {
        int length = (int) header.byteSize();
        for (PayloadSlice s : payload) {
            length += s.length();
        }
        byte[] frame = new byte[length];
        MemorySegment out = MemorySegment.ofArray(frame);
        MemorySegment.copy(header, 0, out, 0, header.byteSize());
        long at = header.byteSize();
        for (PayloadSlice s : payload) {
            MemorySegment.copy(s.bytes(), 0, out, at, s.length());
            at += s.length();
        }
        sent.add(frame);
        return true;
    }

    /** A copy of the bytes of {@code segment}. */
    public static byte[] bytes(MemorySegment segment) {
        return segment.toArray(ValueLayout.JAVA_BYTE);
    }
}
