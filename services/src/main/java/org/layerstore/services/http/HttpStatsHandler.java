// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Counts a connection's life into {@link HttpStats}: opened, closed, failed. It stays in the pipeline when
 * the connection is handed to another protocol ({@link ProtocolHandover}), so those are counted too.
 * Requests and responses are counted where they are handled ({@link RequestDispatcher}, {@link Exchange}):
 * a handler that looked at every message would cost each request two more pipeline steps. Stateless: one
 * instance serves every connection of a server.
 */
@ChannelHandler.Sharable
final class HttpStatsHandler extends ChannelInboundHandlerAdapter {

    private final HttpStats stats;

    HttpStatsHandler(HttpStats stats) {
        this.stats = stats;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        stats.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stats.connectionClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        stats.connectionFailed();
        super.exceptionCaught(ctx, cause);
    }
}
