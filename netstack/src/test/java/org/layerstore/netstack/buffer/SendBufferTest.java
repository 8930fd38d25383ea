// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SendBufferTest {

    private final AtomicLong pinned = new AtomicLong();
    private final AtomicInteger released = new AtomicInteger();
    private final Arena arena = Arena.ofAuto();

    private PayloadPiece piece(int n) {
        return PayloadPiece.of(arena.allocate(n), released::incrementAndGet);
    }

    @Test
    void slicesReferenceThePiecesAndARetransmissionReferencesTheSameMemory() {
        // Start just below 2^32 so the buffer's sequence numbers wrap.
        SendBuffer buffer = new SendBuffer(-100, pinned::addAndGet);
        PayloadPiece a = piece(150);
        PayloadPiece b = piece(200);
        buffer.append(a);
        buffer.append(b);
        List<PayloadSlice> first = buffer.slices(-100 + 100, 100);
        assertEquals(2, first.size(), "the range spans both pieces");
        assertSame(a, first.get(0).piece());
        assertEquals(100, first.get(0).offset());
        assertEquals(50, first.get(0).length());
        assertSame(b, first.get(1).piece());
        assertEquals(50, first.get(1).length());
        List<PayloadSlice> again = buffer.slices(-100 + 100, 100);
        assertEquals(first.get(0).bytes().address(), again.get(0).bytes().address(), "same bytes, not a copy");
        assertEquals(350, pinned.get());
    }

    @Test
    void aPieceIsReleasedOnlyWhenTheCumulativeAckCoversAllOfIt() {
        SendBuffer buffer = new SendBuffer(1000, pinned::addAndGet);
        buffer.append(piece(100));
        buffer.append(piece(100));
        buffer.acknowledge(1099);
        assertEquals(0, released.get());
        assertEquals(200, pinned.get());
        buffer.acknowledge(1100);
        assertEquals(1, released.get());
        assertEquals(100, pinned.get());
        assertThrows(IllegalArgumentException.class, () -> buffer.slices(1050, 10), "acknowledged bytes are gone");
        buffer.acknowledge(1201);
        assertEquals(2, released.get(), "an ACK that also covers a FIN");
        assertEquals(0, pinned.get());
    }

    @Test
    void releaseAllReturnsEveryPiece() {
        SendBuffer buffer = new SendBuffer(0, pinned::addAndGet);
        buffer.append(piece(10));
        buffer.append(piece(10));
        buffer.releaseAll();
        assertEquals(2, released.get());
        assertEquals(0, pinned.get());
    }

    @Test
    void aLinkCanHoldItsOwnReferenceBeyondTheAck() {
        SendBuffer buffer = new SendBuffer(0, pinned::addAndGet);
        PayloadPiece p = piece(10);
        buffer.append(p);
        buffer.slices(0, 10).get(0).piece().retain();
        buffer.acknowledge(10);
        assertEquals(0, released.get(), "still held by the link until its TX confirmation");
        p.release();
        assertEquals(1, released.get());
        assertThrows(IllegalStateException.class, p::release);
    }

    @Test
    void emptyPieceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> PayloadPiece.unowned(MemorySegment.ofArray(new byte[0])));
    }
}
