// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.util.concurrent.RejectedExecutionException;

import org.layerstore.netstack.buffer.PayloadPiece;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.channel.EventLoop;

/**
 * Received bytes as a Netty buffer over the link's own receive buffer (a BMan buffer the frame manager
 * wrote the frame into), not a copy: the pipeline and the upload handler read them where they arrived.
 * When the buffer's last reference goes, on whatever thread (a file-I/O thread that wrote them into a
 * file), the piece that keeps the link's buffer is released on the stack's event loop, the only thread
 * that may touch the stack and its pool.
 */
final class ReceivedBuffer extends UnpooledDirectByteBuf {

    private final PayloadPiece piece;
    private final EventLoop loop;

    ReceivedBuffer(ByteBufAllocator allocator, PayloadPiece piece, EventLoop loop) {
        super(allocator, piece.bytes().asByteBuffer(), piece.length());
        this.piece = piece;
        this.loop = loop;
    }

    @Override
    protected void deallocate() {
        super.deallocate();
        if (loop.inEventLoop()) {
            piece.release();
            return;
        }
        try {
            loop.execute(piece::release);
        } catch (RejectedExecutionException stopped) {
            // The loop has stopped: its stack, link and receive pool are closed with it.
        }
    }
}
