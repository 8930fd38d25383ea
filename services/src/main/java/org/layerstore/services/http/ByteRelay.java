// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * Relays a client connection's bytes to a TCP service and back, after {@link ProtocolHandover}: the
 * client's side keeps its TLS, the service side is a plain connection to {@code target} opened on the
 * client's event loop. {@code preamble} goes to the service first (the upgrade request as the service
 * must see it). Each side reads only while the other can take more, so a slow side holds the fast one
 * back instead of filling memory; either side closing closes both. Until the service's connection is
 * up, at most {@value #MAX_EARLY_BYTES} bytes from the client are held (a client waits for the upgrade's
 * answer before it sends more); a client that sends more is closed.
 */
public final class ByteRelay extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ByteRelay.class);
    static final int MAX_EARLY_BYTES = 64 * 1024;
    private static final byte[] BAD_GATEWAY = ("HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final InetSocketAddress target;
    private final ByteBuf preamble;
    private final List<ByteBuf> early = new ArrayList<>();
    private int earlyBytes;
    /** The service's connection, once it is up; event-loop confined, as everything here. */
    private Channel service;

    public ByteRelay(InetSocketAddress target, byte[] preamble) {
        this.target = target;
        this.preamble = Unpooled.wrappedBuffer(preamble);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        ChannelFuture connected = new Bootstrap().group(client.eventLoop()).channel(EpollSocketChannel.class)
                .handler(new ServiceSide(client)).connect(target);
        connected.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                LOG.warn("cannot relay {} to {}: {}", client.remoteAddress(), target, f.cause().toString());
                releaseEarly();
                client.writeAndFlush(Unpooled.wrappedBuffer(BAD_GATEWAY)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            service = f.channel();
            if (!client.isActive()) {
                service.close();
                return;
            }
            service.write(preamble);
            early.forEach(service::write);
            early.clear();
            service.flush();
            client.config().setAutoRead(service.isWritable());
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ReferenceCountUtil.release(msg); // the end of the upgrade request, decoded before the handover
            return;
        }
        if (service == null) {
            early.add(bytes);
            earlyBytes += bytes.readableBytes();
            if (earlyBytes > MAX_EARLY_BYTES) {
                LOG.debug("closing {}: {} bytes before the relay to {} was up", ctx.channel().remoteAddress(), earlyBytes,
                        target);
                ctx.close();
            }
            return;
        }
        service.writeAndFlush(bytes);
        if (!service.isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (service != null) {
            service.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseEarly();
        if (service != null) {
            service.close();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("relay of {} to {} failed: {}", ctx.channel().remoteAddress(), target, cause.toString());
        ctx.close();
    }

    private void releaseEarly() {
        early.forEach(ReferenceCountUtil::release);
        early.clear();
        if (preamble.refCnt() > 0 && service == null) {
            preamble.release();
        }
    }

    /** The service's side: its bytes go to the client, and it reads only while the client can take them. */
    private static final class ServiceSide extends ChannelInboundHandlerAdapter {
        private final Channel client;

        ServiceSide(Channel client) {
            this.client = client;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            client.writeAndFlush(msg);
            if (!client.isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            client.config().setAutoRead(ctx.channel().isWritable());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            client.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("relay service connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}
