package org.layerstore.services.http;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;

import org.layerstore.datapath.FileRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Serves GET and HEAD of the shares' files and folders. File bodies are written as a
 * {@link DefaultFileRegion}, which Netty's epoll transport sends with sendfile(2): no user-space copy.
 */
final class FileRequestHandler extends SimpleChannelInboundHandler<HttpObject> {

    private static final Logger LOG = LoggerFactory.getLogger(FileRequestHandler.class);

    private final Map<String, Share> shares;

    FileRequestHandler(Map<String, Share> shares) {
        this.shares = shares;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        // Request bodies (HttpContent) are not used by GET or HEAD; SimpleChannelInboundHandler releases them.
        if (msg instanceof HttpRequest request) {
            handle(new Exchange(ctx, request));
        }
    }

    private void handle(Exchange ex) {
        if (ex.request.decoderResult().isFailure()) {
            ex.keepAlive = false;
            ex.text(HttpResponseStatus.BAD_REQUEST, "malformed request\n");
            return;
        }
        HttpMethod method = ex.request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            ex.extraHeader(HttpHeaderNames.ALLOW, "GET, HEAD");
            ex.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + method + " not allowed\n");
            return;
        }
        try {
            RequestPath path = RequestPath.parse(ex.request.uri());
            if (path.isRoot()) {
                ex.html(HttpResponseStatus.OK, DirectoryListingPage.renderFolders("/", List.copyOf(shares.keySet())));
                return;
            }
            Share share = shares.get(path.segments().getFirst());
            if (share == null) {
                throw PathRefusedException.notFound(ex.request.uri());
            }
            Path target = share.resolveExisting(path.segments().subList(1, path.segments().size()), ex.request.uri());
            BasicFileAttributes attrs = Files.readAttributes(target, BasicFileAttributes.class);
            if (attrs.isDirectory()) {
                serveDirectory(ex, path, target);
            } else if (attrs.isRegularFile()) {
                serveFile(ex, target, attrs);
            } else {
                throw PathRefusedException.notFound(ex.request.uri());
            }
        } catch (PathRefusedException e) {
            if (e.status().equals(HttpResponseStatus.NOT_FOUND)) {
                LOG.debug("{}", e.getMessage());
            } else {
                LOG.warn("{} from {}", e.getMessage(), ex.ctx.channel().remoteAddress());
            }
            ex.text(e.status(), e.status().reasonPhrase().toLowerCase() + "\n");
        } catch (IOException e) {
            LOG.error("{} {} failed: {}", method, PathRefusedException.quote(ex.request.uri()), e.toString());
            ex.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
    }

    private static void serveDirectory(Exchange ex, RequestPath path, Path dir) throws IOException {
        if (!path.trailingSlash()) {
            ex.extraHeader(HttpHeaderNames.LOCATION, path.encoded(true));
            ex.text(HttpResponseStatus.MOVED_PERMANENTLY, "moved to " + path.encoded(true) + "\n");
            return;
        }
        ex.html(HttpResponseStatus.OK, DirectoryListingPage.render(path.encoded(true), dir, true));
    }

    private static void serveFile(Exchange ex, Path file, BasicFileAttributes attrs) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        FileRange range;
        try {
            range = FileRange.whole(channel.size());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpUtil.setContentLength(response, range.length());
        String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type == null ? "application/octet-stream" : type);
        response.headers().set(HttpHeaderNames.LAST_MODIFIED, HttpDates.format(attrs.lastModifiedTime()));
        ex.ctx.write(ex.prepare(response));
        long bodyBytes = 0;
        if (ex.request.method().equals(HttpMethod.GET) && range.length() > 0) {
            // The region owns the channel from here: Netty closes it when the transfer ends or fails.
            ex.ctx.write(new DefaultFileRegion(channel, range.offset(), range.length()));
            bodyBytes = range.length();
        } else {
            channel.close();
        }
        ex.finish(ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), HttpResponseStatus.OK, bodyBytes);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.warn("connection {} failed", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    /** One request and what its response has decided so far: keep-alive, extra headers, timing. */
    private static final class Exchange {
        final ChannelHandlerContext ctx;
        final HttpRequest request;
        final long startNanos = System.nanoTime();
        boolean keepAlive;
        private final HttpHeaders extra = new DefaultHttpHeaders();

        Exchange(ChannelHandlerContext ctx, HttpRequest request) {
            this.ctx = ctx;
            this.request = request;
            this.keepAlive = HttpUtil.isKeepAlive(request);
        }

        void extraHeader(CharSequence name, String value) {
            extra.set(name, value);
        }

        HttpResponse prepare(HttpResponse response) {
            response.headers().add(extra);
            HttpUtil.setKeepAlive(response, keepAlive);
            return response;
        }

        void text(HttpResponseStatus status, String body) {
            full(status, "text/plain; charset=utf-8", body);
        }

        void html(HttpResponseStatus status, String body) {
            full(status, "text/html; charset=utf-8", body);
        }

        private void full(HttpResponseStatus status, String contentType, String body) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            boolean head = request.method().equals(HttpMethod.HEAD);
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
            HttpUtil.setContentLength(response, bytes.length);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            }
            finish(ctx.writeAndFlush(prepare(response)), status, head ? 0 : bytes.length);
        }

        void finish(ChannelFuture done, HttpResponseStatus status, long bodyBytes) {
            done.addListener(f -> AccessLog.record(ctx.channel().remoteAddress(), request.method().name(),
                    request.uri(), request.protocolVersion().text(), status.code(), f.isSuccess() ? bodyBytes : -1,
                    startNanos));
            if (!keepAlive) {
                done.addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
