// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.buffer.PayloadPiece;
import org.layerstore.netstack.tcp.CloseReason;
import org.layerstore.netstack.tcp.TcpConnection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AbstractChannel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.DuplexChannel;

/**
 * One TCP connection of a {@link NetStack} as a Netty channel, so the appliance's pipeline runs on it as
 * on a kernel socket.
 *
 * <p>Inbound: the stack hands in-order bytes that are valid only during its call; the channel keeps them
 * in the link's receive buffer they arrived in ({@link ReceivedBuffer}, counted as
 * {@link StackCounter#RECEIVED_BYTES_KEPT}), or, when the link cannot lend it, copies them into a buffer
 * of the channel's allocator ({@link StackCounter#RECEIVED_BYTES_COPIED}). They are read by the pipeline
 * at once when it asked to read, else queued until it does; queued bytes narrow the connection's receive
 * window, so a pipeline that stops reading stops the peer (zero window) instead of losing its bytes.
 *
 * <p>Outbound: a buffer becomes a {@link PayloadPiece} over its own memory (a retained slice, released
 * when the peer's cumulative ACK covers it, never copied unless it lives on the Java heap); a
 * {@link MappedFileRegion} becomes pieces of the link's kind ({@link NetStack#filePieces()}). The stack takes at most its
 * send-buffer limit; what it cannot take stays in Netty's outbound buffer, whose water marks make the
 * channel unwritable, and is written when the stack's ACKs free room ({@code onWritable}).
 *
 * <p>Close sends FIN after the data already handed to the stack; a peer's FIN closes the channel (or, with
 * {@code ALLOW_HALF_CLOSURE}, shuts its input down); a peer's RST or a connection the stack gave up on
 * reaches the pipeline as an exception, then the channel closes.
 */
public final class NetStackChannel extends AbstractChannel implements DuplexChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);

    private final NetStack stack;
    private final TcpConnection connection;
    private final NetStackChannelConfig config = new NetStackChannelConfig(this);
    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private final ArrayDeque<ByteBuf> queued = new ArrayDeque<>();
    private long queuedBytes;
    private final LoopRegistration registration = new LoopRegistration();
    private volatile boolean open = true;
    /** The connection ended in the stack (closed, reset, timed out): nothing more goes in or out. */
    private volatile boolean connectionEnded;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    /** The pipeline asked to read and has not been given anything since. */
    private boolean readRequested;
    /** The peer's FIN came while bytes were queued: the input ends once they are read. */
    private boolean peerFinished;
    /** doWrite stopped at the stack's send-buffer limit and waits for onWritable. */
    private boolean waitingForRoom;

    NetStackChannel(NetStackServerChannel parent, NetStack stack, TcpConnection connection) {
        super(parent);
        this.stack = stack;
        this.connection = connection;
        this.local = Addresses.of(stack.config().address(), connection.key().localPort());
        this.remote = Addresses.of(connection.key().remoteAddress(), connection.key().remotePort());
    }

    @Override
    public NetStackServerChannel parent() {
        return (NetStackServerChannel) super.parent();
    }

    @Override
    public NetStackChannelConfig config() {
        return config;
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public boolean isActive() {
        return open && !connectionEnded;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) super.remoteAddress();
    }

    /** The stack's connection under this channel (its state, RTT, window: {@code info()}). */
    public TcpConnection connection() {
        return connection;
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return LoopRegistration.compatible(loop, Unsafe.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return local;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return remote;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        registration.register((Unsafe) unsafe(), eventLoop(), promise, r -> r.attachment() == stack ? null
                : new IllegalStateException("a connection's channel must be registered on its stack's event loop: "
                        + "give ServerBootstrap the one group of that loop"));
    }

    @Override
    protected void doBind(SocketAddress localAddress) {
        throw new UnsupportedOperationException("an accepted connection is bound already");
    }

    @Override
    protected void doDisconnect() {
        doClose();
    }

    /** RFC 9293 §3.10.4 CLOSE: FIN after the data the stack holds; bytes not yet read are dropped. */
    @Override
    protected void doClose() {
        open = false;
        if (!connectionEnded) {
            connection.close();
        }
        discardQueued();
    }

    @Override
    protected void doDeregister() {
        registration.cancel();
    }

    @Override
    protected void doShutdownOutput() {
        outputShutdown = true;
        if (!connectionEnded) {
            connection.close();
        }
    }

    @Override
    protected void doBeginRead() {
        readRequested = true;
        if (!queued.isEmpty() || peerFinished) {
            // Later, not now: read() may be called from inside a channelReadComplete of the last delivery.
            eventLoop().execute(this::deliverQueued);
        }
    }

    // ---- the stack's events (event-loop thread) --------------------------------------------------------

    void received(MemorySegment data) {
        if (!open || inputShutdown) {
            return;
        }
        int length = (int) data.byteSize();
        ByteBuf buffer = keepOrCopy(data);
        if (readRequested && queued.isEmpty() && isRegistered()) {
            readRequested = false;
            pipeline().fireChannelRead(buffer);
            pipeline().fireChannelReadComplete();
            return;
        }
        queued.add(buffer);
        queuedBytes += length;
        connection.receiveQueued(length);
    }

    /** The bytes in the link's buffer when the stack can keep it, else a copy. */
    private ByteBuf keepOrCopy(MemorySegment data) {
        int length = (int) data.byteSize();
        PayloadPiece kept = connection.keepReceived(data);
        if (kept != null) {
            stack.counters().add(StackCounter.RECEIVED_BYTES_KEPT, length);
            // The server channel's loop: this channel may not be registered yet when its first bytes come.
            return new ReceivedBuffer(config.getAllocator(), kept, parent().eventLoop());
        }
        ByteBuf buffer = config.getAllocator().ioBuffer(length);
        buffer.writeBytes(data.asByteBuffer());
        stack.counters().add(StackCounter.RECEIVED_BYTES_COPIED, length);
        return buffer;
    }

    /**
     * An application that copies received bytes out of the stack's buffers (an upload written into its
     * file) counts them here: on a link that lends its buffers that write is the receive path's one copy.
     */
    public void receivedBytesCopied(long bytes) {
        stack.counters().add(StackCounter.RECEIVED_BYTES_COPIED, bytes);
    }

    void writable() {
        if (waitingForRoom && isActive()) {
            waitingForRoom = false;
            ((Unsafe) unsafe()).writeMore();
        }
    }

    void peerClosed() {
        peerFinished = true;
        if (queued.isEmpty()) {
            endInput();
        }
    }

    void connectionClosed(CloseReason reason) {
        connectionEnded = true;
        if (!open) {
            return;
        }
        switch (reason) {
            case RESET_BY_PEER -> pipeline().fireExceptionCaught(new SocketException("Connection reset by peer"));
            case TIMEOUT -> pipeline().fireExceptionCaught(
                    new IOException("connection timed out: the peer stopped acknowledging"));
            case NORMAL, ABORTED -> {
            }
        }
        unsafe().close(voidPromise());
    }

    private void deliverQueued() {
        if (!readRequested || !open) {
            return;
        }
        if (!queued.isEmpty()) {
            readRequested = false;
            pipeline().fireChannelRead(takeQueued());
            pipeline().fireChannelReadComplete();
        }
        if (peerFinished && queued.isEmpty()) {
            endInput();
        }
    }

    /**
     * Everything queued as one buffer: one read of the pipeline per wake-up, not one per segment (an
     * upload read piece by piece would otherwise cost a hand-over between threads per segment).
     */
    private ByteBuf takeQueued() {
        ByteBuf all = queued.size() == 1 ? queued.poll()
                : config.getAllocator().compositeBuffer(queued.size()).addComponents(true, queued);
        queued.clear();
        connection.receiveRead(queuedBytes);
        queuedBytes = 0;
        return all;
    }

    /** The peer sends no more: close, or with half-closure allowed tell the pipeline (as Netty's epoll does). */
    private void endInput() {
        if (inputShutdown || !open) {
            return;
        }
        inputShutdown = true;
        if (config.isAllowHalfClosure()) {
            pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
            pipeline().fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        } else {
            unsafe().close(voidPromise());
        }
    }

    private void discardQueued() {
        ByteBuf next;
        while ((next = queued.poll()) != null) {
            next.release();
        }
        connection.receiveRead(queuedBytes);
        queuedBytes = 0;
    }

    // ---- writing -----------------------------------------------------------------------------------

    /** Buffers leave as they are when in native memory; a heap buffer is copied once, counted. */
    @Override
    protected Object filterOutboundMessage(Object msg) {
        if (msg instanceof ByteBuf buffer) {
            if (buffer.isDirect() && buffer.nioBufferCount() == 1) {
                return buffer;
            }
            ByteBuf direct = config.getAllocator().directBuffer(buffer.readableBytes());
            direct.writeBytes(buffer, buffer.readerIndex(), buffer.readableBytes());
            stack.counters().add(StackCounter.SENT_BYTES_COPIED, buffer.readableBytes());
            buffer.release();
            return direct;
        }
        if (msg instanceof MappedFileRegion) {
            return msg;
        }
        String type = msg instanceof FileRegion ? "a file region other than MappedFileRegion" : msg.getClass().getName();
        throw new UnsupportedOperationException("a NetStack channel sends ByteBufs and MappedFileRegions, not " + type);
    }

    /**
     * Hands the flushed messages to the stack up to its send-buffer limit; stops there and waits for
     * {@code onWritable}. A message the stack took in full leaves the outbound buffer (its write succeeds);
     * the stack's reference keeps its memory until the peer acknowledges it.
     */
    @Override
    protected void doWrite(ChannelOutboundBuffer out) throws Exception {
        while (true) {
            Object msg = out.current();
            if (msg == null) {
                return;
            }
            if (connectionEnded || outputShutdown || !connection.state().canSendData()) {
                throw new ClosedChannelException();
            }
            long room = connection.writableBytes();
            if (room == 0) {
                waitingForRoom = true;
                return;
            }
            if (msg instanceof ByteBuf buffer) {
                writeBuffer(out, buffer, room);
            } else if (!writeRegion(out, (MappedFileRegion) msg, room)) {
                waitingForRoom = true;
                return;
            }
        }
    }

    private void writeBuffer(ChannelOutboundBuffer out, ByteBuf buffer, long room) {
        int length = (int) Math.min(buffer.readableBytes(), room);
        if (length > 0) {
            ByteBuf slice = buffer.retainedSlice(buffer.readerIndex(), length);
            connection.write(PayloadPiece.of(MemorySegment.ofBuffer(slice.nioBuffer()), slice::release));
        }
        if (length == buffer.readableBytes()) {
            out.remove();
        } else {
            out.removeBytes(length);
        }
    }

    /** False when the region waits for more room before it maps its next part. */
    private boolean writeRegion(ChannelOutboundBuffer out, MappedFileRegion region, long room) throws IOException {
        long sent = region.sendTo(connection, room, stack.filePieces());
        stack.counters().add(StackCounter.FILE_BYTES_MAPPED, sent);
        out.progress(sent);
        if (region.transferred() == region.count()) {
            out.remove();
            return true;
        }
        return sent > 0;
    }

    // ---- DuplexChannel -------------------------------------------------------------------------------

    @Override
    public boolean isInputShutdown() {
        return inputShutdown || connectionEnded;
    }

    @Override
    public ChannelFuture shutdownInput() {
        return shutdownInput(newPromise());
    }

    @Override
    public ChannelFuture shutdownInput(ChannelPromise promise) {
        if (eventLoop().inEventLoop()) {
            inputShutdown = true;
            discardQueued();
            promise.setSuccess();
        } else {
            eventLoop().execute(() -> shutdownInput(promise));
        }
        return promise;
    }

    @Override
    public boolean isOutputShutdown() {
        return outputShutdown || connectionEnded;
    }

    @Override
    public ChannelFuture shutdownOutput() {
        return shutdownOutput(newPromise());
    }

    @Override
    public ChannelFuture shutdownOutput(ChannelPromise promise) {
        if (eventLoop().inEventLoop()) {
            ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
        } else {
            eventLoop().execute(() -> shutdownOutput(promise));
        }
        return promise;
    }

    @Override
    public boolean isShutdown() {
        return isInputShutdown() && isOutputShutdown();
    }

    @Override
    public ChannelFuture shutdown() {
        return shutdown(newPromise());
    }

    @Override
    public ChannelFuture shutdown(ChannelPromise promise) {
        shutdownOutput().addListener(f -> shutdownInput(promise));
        return promise;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new Unsafe();
    }

    private final class Unsafe extends AbstractUnsafe implements NetStackIoHandle {

        @Override
        public void connect(SocketAddress remoteAddress, SocketAddress localAddress, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("an accepted connection is connected already"));
        }

        /** Writes what waited for the stack's send buffer to drain. */
        void writeMore() {
            flush0();
        }
    }
}
