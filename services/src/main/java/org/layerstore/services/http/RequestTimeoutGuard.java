package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;

/**
 * Drops clients that send a request's headers too slowly (slowloris): the clock starts with the first
 * byte of a request and stops when its headers are decoded; past the limit the client gets 408 and the
 * connection closes. Sits before the HTTP codec, so it sees raw bytes.
 */
final class RequestTimeoutGuard extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestTimeoutGuard.class);
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

    private final long timeoutSeconds;
    private boolean awaitingHeaders = true;
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;

    RequestTimeoutGuard(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (awaitingHeaders && timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = context.executor().schedule(this::expire, timeoutSeconds, TimeUnit.SECONDS);
        }
        super.channelRead(context, msg);
    }

    /** The dispatcher has the request's headers: stop the clock. */
    void headersReceived() {
        awaitingHeaders = false;
        cancel();
    }

    /** The request has been read in full: the next bytes start a new request. */
    void requestEnded() {
        awaitingHeaders = true;
    }

    private void expire() {
        timer = null;
        LOG.info("dropping {}: request headers not complete within {} s", ctx.channel().remoteAddress(), timeoutSeconds);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE)).addListener(ChannelFutureListener.CLOSE);
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        cancel();
        super.channelInactive(context);
    }
}
