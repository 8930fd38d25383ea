package org.layerstore.services.telemetry.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

import org.layerstore.services.http.KeepAlive;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Serves the monitoring dashboard under {@value #PREFIX} in the HTTP server's pipeline: it answers
 * GET and HEAD below that prefix and passes every other request on to the file handler unchanged.
 * One instance per connection (it remembers whether the current request is its own).
 */
public final class DashboardRoute extends ChannelInboundHandlerAdapter {

    public static final String PREFIX = "/_dashboard/";

    private final Supplier<byte[]> configJson;
    private boolean ownsRequest;

    /** @param configJson the broker settings the page reads from {@code config.json} */
    public DashboardRoute(byte[] configJson) {
        this(() -> configJson);
    }

    /**
     * @param configJson the broker settings the page reads from {@code config.json}; null while telemetry
     *                   is still starting (the file server listens first), answered 503 with Retry-After
     */
    public DashboardRoute(Supplier<byte[]> configJson) {
        this.configJson = configJson;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String path = pathOf(request.uri());
            ownsRequest = path.startsWith("/_dashboard") && (path.length() == "/_dashboard".length() || path.startsWith(PREFIX));
            if (ownsRequest) {
                respond(ctx, request, path);
            }
        }
        if (!ownsRequest) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (msg instanceof HttpContent) {
            // The body of a request this route answered: nothing to do with it.
            ReferenceCountUtil.release(msg);
        }
        if (msg instanceof LastHttpContent) {
            ownsRequest = false;
        }
    }

    private void respond(ChannelHandlerContext ctx, HttpRequest request, String path) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response;
        if (!head && !request.method().equals(HttpMethod.GET)) {
            response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
        } else if (path.equals("/_dashboard")) {
            response = text(HttpResponseStatus.MOVED_PERMANENTLY, "moved to " + PREFIX + "\n");
            response.headers().set(HttpHeaderNames.LOCATION, PREFIX);
        } else {
            String relative = path.substring(PREFIX.length());
            byte[] config = relative.equals("config.json") ? configJson.get() : null;
            if (relative.equals("config.json") && config == null) {
                response = text(HttpResponseStatus.SERVICE_UNAVAILABLE, "telemetry is starting\n");
                response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            } else {
                Optional<DashboardAssets.Asset> asset = config != null
                        ? Optional.of(new DashboardAssets.Asset(config, "application/json"))
                        : DashboardAssets.find(relative);
                response = asset.map(a -> body(HttpResponseStatus.OK, a.bytes(), a.contentType()))
                        .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "not found\n"));
            }
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        if (head) {
            long length = response.content().readableBytes();
            response.content().clear();
            HttpUtil.setContentLength(response, length);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        KeepAlive.mark(request, response, keepAlive);
        var done = ctx.writeAndFlush(response);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The request target without its query or fragment (no regular expression: this runs for every request). */
    private static String pathOf(String uri) {
        int end = uri.length();
        for (int i = 0; i < uri.length(); i++) {
            char c = uri.charAt(i);
            if (c == '?' || c == '#') {
                end = i;
                break;
            }
        }
        return uri.substring(0, end);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        return body(status, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    private static FullHttpResponse body(HttpResponseStatus status, byte[] bytes, String contentType) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        HttpUtil.setContentLength(response, bytes.length);
        return response;
    }
}
