// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.link.FilePieceSource;
import org.layerstore.netstack.link.MappedFilePieces;
import org.layerstore.netstack.tcp.TcpConnection;

/**
 * A file body for a {@link NetStackChannel}: a range of an open file, sent as {@link PayloadPiece}s of the
 * kind the stack's link sends uncopied ({@link FilePieceSource}: mapped pages on an AF_PACKET link, pinned
 * pages by physical address on a frame-manager link), never copied by Java code. The range goes part by
 * part, up to {@link #MAX_MAPPING_BYTES} at a time and no more than the connection's send buffer takes, so
 * a large body holds only what is in flight; each part's mapping is given back when the peer's ACK
 * releases its piece (or the connection ends), which may be after this region is released and the file closed.
 *
 * <p>Other transports may send it too: {@link #transferTo} writes the mapped bytes to the target channel.
 */
public final class MappedFileRegion extends FileRangeRegion {

    /** Most bytes one mapping (one piece) covers. */
    static final long MAX_MAPPING_BYTES = 1L << 20;
    /**
     * Least room worth a mapping when more of the body remains: a mapping per ACK of a few segments
     * would cost an mmap and munmap each (sender-side silly-window avoidance, in the spirit of RFC 9293
     * §3.8.6.2.1).
     */
    static final long MIN_MAPPING_BYTES = 256 * 1024;

    private long transferred;

    /** Takes ownership of {@code file}: it is closed when the region is released. */
    public MappedFileRegion(OpenFile file, FileRange range) {
        super(file, range);
    }

    @Override
    public long transferred() {
        return transferred;
    }

    /**
     * Queues the next part of the body on {@code connection} as a piece from {@code pieces}, at most
     * {@code room} bytes; returns the bytes queued (0 when the room is too small for a mapping worth making).
     */
    long sendTo(TcpConnection connection, long room, FilePieceSource pieces) throws IOException {
        FileRange range = range();
        long remaining = range.length() - transferred;
        long length = Math.min(Math.min(remaining, room), MAX_MAPPING_BYTES);
        if (length < remaining && length < MIN_MAPPING_BYTES) {
            return 0;
        }
        connection.write(pieces.piece(file().channel(), new FileRange(range.offset() + transferred, length)));
        transferred += length;
        return length;
    }

    /** Writes the rest of the range to {@code target} from mapped pages, for transports without stack pieces. */
    @Override
    public long transferTo(WritableByteChannel target, long position) throws IOException {
        FileRange range = range();
        if (position != transferred) {
            throw new IOException("asked for position " + position + " of " + range + " but " + transferred
                    + " bytes are sent");
        }
        long remaining = range.length() - transferred;
        if (remaining == 0) {
            return 0;
        }
        PayloadPiece piece = MappedFilePieces.INSTANCE.piece(file().channel(),
                new FileRange(range.offset() + transferred, Math.min(remaining, MAX_MAPPING_BYTES)));
        try {
            int written = target.write(piece.bytes().asByteBuffer());
            transferred += written;
            return written;
        } finally {
            piece.release();
        }
    }

    /** Closes the file; a failure is logged, never thrown into Netty's release of the region. */
    @Override
    protected void deallocate() {
        closeFile();
    }
}
