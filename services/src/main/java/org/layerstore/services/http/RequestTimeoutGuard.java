// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;

/**
 * Drops clients that send a request's headers too slowly (slowloris): the clock starts with the first
 * byte of a request and stops when its headers are decoded; past the limit the client gets 408 and the
 * connection closes. Sits before the HTTP codec, so it sees raw bytes.
 */
final class RequestTimeoutGuard extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RequestTimeoutGuard.class);
    /** The 408's head up to its Date's value (RFC 9110 section 6.6.1: a 4xx carries one), and what follows it. */
    private static final byte[] TIMEOUT_RESPONSE = ("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
            + "Content-Length: 0\r\nDate: ").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TIMEOUT_RESPONSE_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** How long a dropped client may keep sending after its 408 before the socket is closed. */
    static final long LINGER_SECONDS = 2;

    private final long timeoutSeconds;
    private final long timeoutNanos;
    private boolean awaitingHeaders = true;
    /** When the first byte of the request whose headers are awaited came; 0 while none is being received. */
    private long headersStartedNanos;
    private boolean expired;
    /**
     * The check of the deadline, armed by the first request whose headers took more than one read, and left
     * running across requests: a busy keep-alive connection would otherwise schedule and cancel a task per
     * request (both cost more than the request's own parsing). Each check re-arms itself for the deadline
     * of the request then awaited, and stops when none is.
     */
    private ScheduledFuture<?> timer;
    private ChannelHandlerContext ctx;

    RequestTimeoutGuard(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(timeoutSeconds);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) throws Exception {
        if (expired) {
            ReferenceCountUtil.release(msg); // drained, so that the final close does not reset the 408 away
            return;
        }
        if (awaitingHeaders && headersStartedNanos == 0 && msg instanceof ByteBuf buf && buf.isReadable()) {
            headersStartedNanos = System.nanoTime() | 1; // never 0, which means none
        }
        super.channelRead(context, msg);
    }

    /**
     * Arms the check once the bytes read so far have been decoded, and only if they left a request's headers
     * incomplete: most requests arrive whole in one read, and a connection that sends one request and closes
     * would otherwise schedule a check and cancel it (a priority-queue insert and removal each).
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) throws Exception {
        if (timer == null && headersStartedNanos != 0 && !expired) {
            long left = headersStartedNanos + timeoutNanos - System.nanoTime();
            timer = context.executor().schedule(this::check, Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        super.channelReadComplete(context);
    }

    /** The dispatcher has the request's headers: stop the clock. Callable from any thread. */
    void headersReceived() {
        onEventLoop(() -> {
            awaitingHeaders = false;
            headersStartedNanos = 0;
        });
    }

    /** The request has been read in full: the next bytes start a new request. Callable from any thread. */
    void requestEnded() {
        onEventLoop(() -> awaitingHeaders = true);
    }

    private void onEventLoop(Runnable task) {
        if (ctx.executor().inEventLoop()) {
            task.run();
        } else {
            ctx.executor().execute(task);
        }
    }

    /**
     * Answers 408 and closes lingeringly: closing a socket whose receive queue still holds the client's
     * bytes makes the kernel send a reset, which can destroy the 408 before the client reads it. So the
     * output is shut down (FIN after the 408), further input is read and dropped, and the socket is closed
     * when the client closes or after {@value #LINGER_SECONDS} s.
     */
    private void check() {
        timer = null;
        if (headersStartedNanos == 0 || expired) {
            return; // no request is being received: the next one arms the check again
        }
        long left = headersStartedNanos + timeoutNanos - System.nanoTime();
        if (left > 0) {
            timer = ctx.executor().schedule(this::check, left, TimeUnit.NANOSECONDS);
        } else {
            expire();
        }
    }

    private void expire() {
        expired = true;
        LOG.info("dropping {}: request headers not complete within {} s", ctx.channel().remoteAddress(), timeoutSeconds);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(TIMEOUT_RESPONSE, ResponseDate.ascii(), TIMEOUT_RESPONSE_END)).addListener(written -> {
            if (written.isSuccess() && ctx.channel() instanceof DuplexChannel duplex) {
                duplex.shutdownOutput();
                ctx.executor().schedule(() -> ctx.close(), LINGER_SECONDS, TimeUnit.SECONDS);
            } else {
                ctx.close();
            }
        });
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
