// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.net.InetSocketAddress;
import java.net.SocketAddress;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.tcp.TcpConnection;
import org.layerstore.netstack.tcp.TcpListener;

import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelConfig;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannelRecvByteBufAllocator;

/**
 * A listening TCP port of a {@link NetStack} as a Netty server channel: bind listens on the stack
 * (RFC 9293 LISTEN), each connection whose handshake completes becomes a {@link NetStackChannel} read by
 * this channel's pipeline, as an accepted socket is (so {@code ServerBootstrap} hands it to the child
 * handler). Register it, and its children, on the stack's own event loop ({@link NetStackIoHandler}).
 *
 * <p>The stack has no accept queue: a connection is established before the application sees it, so
 * there is nothing to pace with {@code read()}; a connection that completes after this channel closed is
 * reset.
 */
public final class NetStackServerChannel extends AbstractServerChannel {

    /** Where the channel is in its life; Netty asks from any thread. */
    private enum State { OPEN, LISTENING, CLOSED }

    private final ChannelConfig config = new DefaultChannelConfig(this, new ServerChannelRecvByteBufAllocator()) { };
    private volatile State state = State.OPEN;
    private volatile InetSocketAddress localAddress;
    private final LoopRegistration registration = new LoopRegistration();
    private NetStack stack;
    private TcpListener listener;

    @Override
    public ChannelConfig config() {
        return config;
    }

    @Override
    public boolean isOpen() {
        return state != State.CLOSED;
    }

    @Override
    public boolean isActive() {
        return state == State.LISTENING;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return LoopRegistration.compatible(loop, ServerUnsafe.class);
    }

    @Override
    protected SocketAddress localAddress0() {
        return localAddress;
    }

    @Override
    protected void doRegister(ChannelPromise promise) {
        registration.register((ServerUnsafe) unsafe(), eventLoop(), promise, r -> {
            stack = r.attachment();
            return null;
        });
    }

    /** Listens on the stack's address: the bind address must be it or the wildcard. */
    @Override
    protected void doBind(SocketAddress address) {
        InetSocketAddress wanted = (InetSocketAddress) address;
        InetSocketAddress own = Addresses.of(stack.config().address(), wanted.getPort());
        if (!wanted.getAddress().isAnyLocalAddress() && !wanted.getAddress().equals(own.getAddress())) {
            throw new IllegalArgumentException("cannot bind " + wanted + ": the stack's address is " + own.getAddress());
        }
        listener = stack.listen(wanted.getPort(), () -> new AcceptedConnection(this));
        localAddress = own;
        state = State.LISTENING;
    }

    @Override
    protected void doClose() {
        if (listener != null) {
            stack.unlisten(listener);
            listener = null;
        }
        state = State.CLOSED;
    }

    @Override
    protected void doDeregister() {
        registration.cancel();
    }

    @Override
    protected void doBeginRead() {
        // Connections are pushed by the stack as they complete (see the class comment).
    }

    /** A connection completed its handshake: its channel, or a reset when this port no longer listens. */
    NetStackChannel accept(TcpConnection connection) {
        if (state != State.LISTENING) {
            connection.abort();
            return null;
        }
        NetStackChannel child = new NetStackChannel(this, stack, connection);
        pipeline().fireChannelRead(child);
        pipeline().fireChannelReadComplete();
        return child;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new ServerUnsafe();
    }

    private final class ServerUnsafe extends AbstractUnsafe implements NetStackIoHandle {

        @Override
        public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
            safeSetFailure(promise, new UnsupportedOperationException("a server channel does not connect"));
        }
    }
}
