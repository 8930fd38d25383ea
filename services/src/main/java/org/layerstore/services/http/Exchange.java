// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;

/**
 * One request and what its response has decided so far: keep-alive, extra headers, the user, the
 * engine that carried the body. Every response goes out through here, so each is counted and logged exactly
 * once.
 */
public final class Exchange {

    /**
     * The headers of the server's own responses: their names are the server's constants, so they are not
     * checked against RFC 9110's token grammar on every set (JFR: a tenth of a small response's header
     * work); values still are, since some come from the request or the file system.
     */
    private static final HttpHeadersFactory RESPONSE_HEADERS =
            DefaultHttpHeadersFactory.headersFactory().withNameValidation(false);

    public final ChannelHandlerContext ctx;
    public final HttpRequest request;
    final long startNanos = System.nanoTime();
    public final boolean secure;
    /** The connection's file-I/O thread: where its requests' disk work runs (see {@link RequestDispatcher}). */
    final EventExecutor worker;
    private final HttpStats stats;
    private boolean keepAlive;
    private String user;
    private String engine = "-";
    private boolean responded;
    /** Null until the first extra header: many responses have none. */
    private HttpHeaders extra;

    Exchange(ChannelHandlerContext ctx, HttpRequest request, boolean secure, EventExecutor worker, HttpStats stats) {
        this.ctx = ctx;
        this.stats = stats;
        this.request = request;
        this.secure = secure;
        this.worker = worker;
        this.keepAlive = HttpUtil.isKeepAlive(request);
    }

    public HttpMethod method() {
        return request.method();
    }

    public boolean isHead() {
        return request.method().equals(HttpMethod.HEAD);
    }

    public String header(CharSequence name) {
        return request.headers().get(name);
    }

    /** Whether the connection stays open after this response (RFC 9112 section 9.3). */
    public boolean keepsAlive() {
        return keepAlive;
    }

    /** Decides whether the connection stays open after this response; the last decision before it is written counts. */
    public void keepAlive(boolean keep) {
        keepAlive = keep;
    }

    /** The signed-in user, null for an anonymous client. */
    public String user() {
        return user;
    }

    void signedIn(String name) {
        user = name;
    }

    public boolean responded() {
        return responded;
    }

    public void extraHeader(CharSequence name, String value) {
        if (extra == null) {
            extra = RESPONSE_HEADERS.newHeaders();
        }
        extra.set(name, value);
    }

    /** A response of the server's, headers to be filled in, then {@link #prepare}d and written. */
    public static HttpResponse newResponse(HttpResponseStatus status) {
        return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status, RESPONSE_HEADERS);
    }

    private static FullHttpResponse newFullResponse(HttpResponseStatus status, ByteBuf body) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body, RESPONSE_HEADERS,
                DefaultHttpHeadersFactory.trailersFactory());
    }

    public void engine(String name) {
        engine = name;
    }

    /** Whether no extra header waits for the response, so a {@link FileResponseHead} can carry it whole. */
    boolean noExtraHeaders() {
        return extra == null;
    }

    /** Counts a response whose head is a {@link FileResponseHead}, which does {@link #prepare}'s work itself. */
    void preEncoded(HttpResponseStatus status) {
        responded = true;
        stats.responseSent(status.code());
    }

    /** Adds the extra headers, the keep-alive decision and the Date to a response about to be written. */
    public HttpResponse prepare(HttpResponse response) {
        responded = true;
        stats.responseSent(response.status().code());
        if (extra != null) {
            response.headers().add(extra);
        }
        KeepAlive.mark(request, response, keepAlive);
        response.headers().set(HttpHeaderNames.DATE, ResponseDate.value());
        return response;
    }

    public void text(HttpResponseStatus status, String body) {
        full(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void html(HttpResponseStatus status, String body) {
        full(status, "text/html; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    public void xml(HttpResponseStatus status, byte[] body) {
        full(status, "application/xml; charset=utf-8", body);
    }

    /** A response without a body: {@code Content-Length: 0}, except for 204 and 304, which never carry one. */
    public void empty(HttpResponseStatus status) {
        FullHttpResponse response = newFullResponse(status, Unpooled.EMPTY_BUFFER);
        if (status.code() != 204 && status.code() != 304) {
            HttpUtil.setContentLength(response, 0);
        }
        finish(ctx.writeAndFlush(prepare(response)), status, 0);
    }

    /** A status with a short plain-text explanation, for errors. */
    public void status(HttpResponseStatus status) {
        text(status, status.code() + " " + status.reasonPhrase() + "\n");
    }

    /** A response with {@code bytes} as its body (none for HEAD, with the length it would have). */
    public void full(HttpResponseStatus status, String contentType, byte[] bytes) {
        FullHttpResponse response = newFullResponse(status, isHead() ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, bytes.length);
        finish(ctx.writeAndFlush(prepare(response)), status, isHead() ? 0 : bytes.length);
    }

    /** Logs the response once {@code done} completes and closes the connection unless it is kept alive. */
    public void finish(ChannelFuture done, HttpResponseStatus status, long bodyBytes) {
        responded = true;
        if (AccessLog.enabled()) {
            done.addListener(f -> AccessLog.record(ctx.channel().remoteAddress(), user, request.method().name(),
                    request.uri(), request.protocolVersion().text(), status.code(), f.isSuccess() ? bodyBytes : -1, engine,
                    startNanos));
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
