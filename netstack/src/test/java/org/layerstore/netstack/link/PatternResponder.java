// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.tcp.TcpConnection;
import org.layerstore.netstack.tcp.TcpHandler;

/**
 * A test-only HTTP responder on the stack: for {@code GET /N} it answers 200 with the first N bytes of a
 * body (a fixed pseudo-random pattern in memory, or a file), written as pieces that reference the body's
 * memory (never copied), and closes. Pieces are counted as they are made and released, so a test sees
 * that every one came back.
 */
final class PatternResponder implements TcpHandler {

    /** What the responder sends from. */
    interface Body {
        long size();

        /** A new piece of {@code length} bytes at {@code offset}, counted as made and, at its last release, released. */
        PayloadPiece piece(long offset, long length);
    }

    /** Size of the pattern's pieces; the first one is odd-sized so segments never line up with pieces. */
    static final int PIECE_BYTES = 256 * 1024;
    static final int FIRST_PIECE_BYTES = 1001;

    /** The shared pattern and piece accounting of one test. */
    static final class Pattern implements Body {
        final MemorySegment bytes;
        final AtomicLong piecesMade = new AtomicLong();
        final AtomicLong piecesReleased = new AtomicLong();

        Pattern(Arena arena, long size, long seed) {
            bytes = arena.allocate(size, 4096);
            Random random = new Random(seed);
            byte[] chunk = new byte[65536];
            for (long at = 0; at < size; at += chunk.length) {
                random.nextBytes(chunk);
                int n = (int) Math.min(chunk.length, size - at);
                MemorySegment.copy(MemorySegment.ofArray(chunk), 0, bytes, at, n);
            }
        }

        @Override
        public long size() {
            return bytes.byteSize();
        }

        @Override
        public PayloadPiece piece(long offset, long length) {
            piecesMade.incrementAndGet();
            return PayloadPiece.of(bytes.asSlice(offset, length), piecesReleased::incrementAndGet);
        }
    }

    private final Body pattern;
    private final Arena headers;
    private final StringBuilder request = new StringBuilder();
    private long length = -1;
    private long written;

    PatternResponder(Body pattern, Arena headers) {
        this.pattern = pattern;
        this.headers = headers;
    }

    @Override
    public void onData(TcpConnection connection, MemorySegment data) {
        if (length >= 0) {
            return;
        }
        request.append(new String(data.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII));
        int end = request.indexOf("\r\n\r\n");
        if (end < 0) {
            return;
        }
        String[] line = request.substring(0, request.indexOf("\r\n")).split(" ");
        length = Math.min(Long.parseLong(line[1].substring(1)), pattern.size());
        byte[] head = ("HTTP/1.1 200 OK\r\nContent-Length: " + length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        MemorySegment header = headers.allocate(head.length);
        MemorySegment.copy(MemorySegment.ofArray(head), 0, header, 0, head.length);
        connection.write(PayloadPiece.unowned(header));
        writeMore(connection);
    }

    @Override
    public void onWritable(TcpConnection connection) {
        writeMore(connection);
    }

    private void writeMore(TcpConnection connection) {
        while (written < length && connection.writableBytes() > 0) {
            long size = Math.min(written == 0 ? FIRST_PIECE_BYTES : PIECE_BYTES, length - written);
            connection.write(pattern.piece(written, size));
            written += size;
        }
        if (written == length) {
            written++;
            connection.close();
        }
    }
}
