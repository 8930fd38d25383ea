package org.layerstore.services.telemetry.dashboard;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

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

    private final byte[] configJson;
    private boolean ownsRequest;

    /** @param configJson the broker settings the page reads from {@code config.json} */
    public DashboardRoute(byte[] configJson) {
        this.configJson = configJson;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            String path = request.uri().split("[?#]", 2)[0];
            ownsRequest = path.equals("/_dashboard") || path.startsWith(PREFIX);
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
            Optional<DashboardAssets.Asset> asset = relative.equals("config.json")
                    ? Optional.of(new DashboardAssets.Asset(configJson, "application/json"))
                    : DashboardAssets.find(relative);
            response = asset.map(a -> body(HttpResponseStatus.OK, a.bytes(), a.contentType()))
                    .orElseGet(() -> text(HttpResponseStatus.NOT_FOUND, "not found\n"));
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        }
        if (head) {
            long length = response.content().readableBytes();
            response.content().clear();
            HttpUtil.setContentLength(response, length);
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var done = ctx.writeAndFlush(response);
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
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
