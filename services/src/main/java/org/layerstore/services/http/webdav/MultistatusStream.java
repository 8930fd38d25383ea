// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.layerstore.services.http.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A 207 multistatus body written while it is produced, for listings of any size in bounded memory: the
 * responses appended to {@link #out()} go out in pieces of about {@value #CHUNK_CHARS} characters, as
 * chunks of the chunked coding (HTTP/1.1), or for an HTTP/1.0 client as a body that ends with the
 * connection (RFC 9112 6.3: it knows no chunked coding). A body smaller than one piece goes out whole
 * with a Content-Length, as before. Runs on the request's file-I/O thread, never on
 * the event loop: when the client's socket and the connection's write buffer are full (the channel is
 * not writable), it waits for the last piece to go out, so a slow reader slows the listing down instead
 * of filling memory; one that reads nothing for the idle timeout has its connection closed.
 */
final class MultistatusStream {

    /** Characters gathered before a piece is written. */
    static final int CHUNK_CHARS = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(MultistatusStream.class);

    private final Exchange ex;
    private final long stallSeconds;
    private final StringBuilder out = new StringBuilder(CHUNK_CHARS + 4096);
    private long sentBytes;
    /** The 207 header went out: the body is streamed from here on. */
    private boolean streaming;

    private MultistatusStream(Exchange ex, long stallSeconds) {
        this.ex = ex;
        this.stallSeconds = stallSeconds;
    }

    /** Starts a multistatus; {@code stallSeconds}: how long a client may read nothing before it is cut off. */
    static MultistatusStream start(Exchange ex, long stallSeconds) {
        MultistatusStream stream = new MultistatusStream(ex, stallSeconds);
        stream.out.append(DavResponses.XML_HEAD).append("<D:multistatus xmlns:D=\"DAV:\">");
        return stream;
    }

    /** The 207 header of a streamed body, sent with its first piece. */
    private void sendHeader() {
        HttpResponse response = Exchange.newResponse(DavResponses.MULTI_STATUS);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, DavResponses.XML_TYPE);
        if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            ex.keepAlive(false);
        } else {
            HttpUtil.setTransferEncodingChunked(response, true);
        }
        ex.ctx.write(ex.prepare(response));
        streaming = true;
    }

    /** Where the next DAV:response elements go. */
    StringBuilder out() {
        return out;
    }

    /** Writes what was appended once it fills a piece; fails when the client went away or stalled. */
    void flushWhenFull() throws IOException {
        if (out.length() < CHUNK_CHARS) {
            return;
        }
        if (!streaming) {
            sendHeader();
        }
        ChannelFuture written = ex.ctx.writeAndFlush(new DefaultHttpContent(take()));
        Channel channel = ex.ctx.channel();
        if (!channel.isWritable() && !written.awaitUninterruptibly(stallSeconds, TimeUnit.SECONDS)) {
            channel.close();
            throw new IOException("PROPFIND listing cut: the client read nothing for " + stallSeconds + " s");
        }
        if (written.isDone() && !written.isSuccess()) {
            throw new IOException("PROPFIND listing cut: " + written.cause(), written.cause());
        }
    }

    /**
     * Closes the multistatus element and ends the response: a body that never filled a piece goes out
     * whole, with its Content-Length, as any other response.
     */
    void finish() {
        out.append("</D:multistatus>\n");
        if (!streaming) {
            ex.xml(DavResponses.MULTI_STATUS, out.toString().getBytes(StandardCharsets.UTF_8));
            return;
        }
        ByteBuf last = take();
        ex.finish(ex.ctx.writeAndFlush(new DefaultLastHttpContent(last)), DavResponses.MULTI_STATUS, sentBytes);
    }

    /** Ends a listing that failed after its header went out: the client sees the body cut short. */
    void abort(IOException why) throws IOException {
        if (!streaming) {
            throw why; // nothing sent yet: the request fails as any other would
        }
        LOG.info("{} {}: {}", ex.method(), ex.request.uri().length() > 80 ? ex.request.uri().substring(0, 80) + "..."
                : ex.request.uri(), why.getMessage());
        ex.keepAlive(false);
        ex.finish(ex.ctx.channel().close(), DavResponses.MULTI_STATUS, -1);
    }

    private ByteBuf take() {
        byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
        out.setLength(0);
        sentBytes += bytes.length;
        return Unpooled.wrappedBuffer(bytes);
    }
}
