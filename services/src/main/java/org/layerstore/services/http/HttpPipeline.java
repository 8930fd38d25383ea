// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.layerstore.services.config.LimitSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutorGroup;

/**
 * The one HTTP/WebDAV pipeline of every connection, whichever transport accepted it (the kernel's epoll
 * listener or the offload port's user-space stack): admission, [TLS, or the offload body driver], request
 * timeout, HTTP codec (bounded request line and headers), idle timeout, [chunked writer, under
 * TLS], statistics, dispatcher.
 *
 * <p>One instance serves every connection of a server ({@code @Sharable}): it is added to each new channel's
 * pipeline, builds the handlers there once the channel is registered, and removes itself. Netty's
 * {@code ChannelInitializer} does the same but also records every channel it initialises in a
 * {@code ConcurrentHashMap} shared by all the event loops (added, then removed, on each connection: two
 * contended map updates per connection), a guard against initialising a channel twice, which cannot happen
 * here: a handler's {@code handlerAdded} runs once per pipeline it is added to.
 */
@ChannelHandler.Sharable
final class HttpPipeline extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpPipeline.class);
    private static final byte[] TOO_MANY_CONNECTIONS = ("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n"
            + "Retry-After: 5\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final SslContext ssl;
    private final LimitSettings limits;
    private final HttpDecoderConfig decoder;
    private final ConnectionAdmission admission;
    private final ChannelGroup connections;
    private final EventExecutorGroup fileIo;
    private final HttpStats stats;
    private final Routes routes;
    private final ServerState state;
    private final HttpStatsHandler statsHandler;

    HttpPipeline(SslContext ssl, LimitSettings limits, ChannelGroup connections, EventExecutorGroup fileIo, HttpStats stats,
            Routes routes, ServerState state) {
        this.ssl = ssl;
        this.limits = limits;
        this.decoder = new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(HttpFileServer.MAX_CHUNK_BYTES);
        this.admission = new ConnectionAdmission(limits.maxConnections(), limits.maxConnectionsPerClient());
        this.connections = connections;
        this.fileIo = fileIo;
        this.stats = stats;
        this.routes = routes;
        this.state = state;
        this.statsHandler = new HttpStatsHandler(stats);
    }

    /** Runs on the channel's event loop once it is registered (for an accepted connection: at once). */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        try {
            initChannel(ctx.channel());
        } catch (RuntimeException e) {
            LOG.warn("cannot set up the connection of {}; closing it", ctx.channel().remoteAddress(), e);
            ctx.close();
        } finally {
            ctx.pipeline().remove(this);
        }
    }

    private void initChannel(Channel ch) {
        InetAddress client = ((InetSocketAddress) ch.remoteAddress()).getAddress();
        ConnectionAdmission.Refusal refusal = admission.admit(client);
        if (refusal != null) {
            if (refusal == ConnectionAdmission.Refusal.SERVER_FULL) {
                LOG.warn("refusing {}: {} connections open (http.limits.maxConnections)", ch.remoteAddress(),
                        limits.maxConnections());
            } else {
                LOG.warn("refusing {}: {} connections open from it (http.limits.maxConnectionsPerClient)",
                        ch.remoteAddress(), limits.maxConnectionsPerClient());
            }
            ch.writeAndFlush(Unpooled.wrappedBuffer(TOO_MANY_CONNECTIONS)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ch.closeFuture().addListener(f -> admission.closed(client));
        connections.add(ch);
        ChannelPipeline p = ch.pipeline();
        // Named: a handler added without a name gets one generated from its class, a per-thread map lookup
        // for each of them on every new connection.
        if (ssl != null) {
            p.addLast("tls", ssl.newHandler(ch.alloc()));
        }
        RequestTimeoutGuard timer = new RequestTimeoutGuard(limits.requestTimeoutSeconds());
        p.addLast("request-timeout", timer);
        p.addLast("http", new ServerCodec(decoder));
        p.addLast("request-head", RequestHeadValidator.INSTANCE);
        p.addLast("idle-timeout", new IdleStateHandler(true, 0, 0, limits.idleTimeoutSeconds(), TimeUnit.SECONDS));
        if (ssl != null) {
            p.addLast("chunked-writer", new ChunkedWriteHandler());
        }
        p.addLast("stats", statsHandler);
        p.addLast("dispatcher", new RequestDispatcher(routes, state, fileIo.next(), stats, timer));
    }
}
