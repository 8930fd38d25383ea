// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

import org.layerstore.services.http.auth.BasicAuthenticator;
import org.layerstore.services.http.webdav.DavResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

/**
 * One connection's request loop: decides each request's fate from its headers (path, share,
 * credentials, access, method), then feeds its body to the chosen handler: streamed into an upload for
 * PUT, collected (bounded) for the XML methods. Requests are answered strictly in order, which is what
 * makes pipelining safe.
 *
 * <p>It sits on the event loop, and answers there what never waits for a disk it does not have in
 * memory: a GET or HEAD without a body or an unverified password, of a file whose body goes out through
 * an engine that opens without mapping pages (sendfile, splice, copy), as nginx does. Everything else
 * (uploads, WebDAV methods, folder pages, bcrypt, engines that map and pin the range) runs on the
 * connection's file-I/O thread, because disk work blocks. Once a message went to that thread, every
 * later message of the connection follows it there until the thread has caught up, and the thread
 * reports it back through the event loop's own queue, after its writes: so messages are handled, and
 * responses written, in arrival order whichever thread handles them. While an upload streams, the
 * connection reads one socket buffer at a time (auto-read off), so a disk slower than the network
 * holds the client back instead of filling memory.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final HttpResponseStatus HEADERS_TOO_LARGE =
            HttpResponseStatus.valueOf(431, "Request Header Fields Too Large");
    /** A refused request's body up to this size is read and dropped to keep the connection; more closes it. */
    static final long DISCARDABLE_BODY_BYTES = 64 * 1024;

    private final Routes routes;
    private final ServerState server;
    private final EventExecutor worker;
    /** Tasks given to {@link #worker} and not yet reported done; event-loop confined. */
    private int queued;
    /** The request being handled is handled on the event loop. */
    private boolean inline;
    /** The file an inline GET or HEAD answers with, opened when its request ended. */
    private ShareFile quickFile;

    private volatile Exchange current;
    private BodySink sink;
    private MethodHandler pending;
    private Resource pendingResource;
    private ByteArrayOutputStream buffered;
    private boolean discarding;

    /** {@code worker}: the file-I/O thread of this connection, for the work that may block. */
    RequestDispatcher(Routes routes, ServerState server, EventExecutor worker) {
        this.routes = routes;
        this.server = server;
        this.worker = worker;
    }

    /** Whether a request is being received or answered on this connection (shutdown waits for it). */
    boolean busy() {
        return current != null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (queued == 0 && (inline || msg instanceof HttpRequest request && answersInline(request))) {
            inline = true;
            if (msg instanceof LastHttpContent && pending == routes.read && !discarding) {
                quickFile = routes.read.openQuickly(pendingResource).orElse(null);
                if (quickFile == null) {
                    inline = false; // a folder, a link to judge, a missing file, a pinning engine
                    toWorker(ctx, () -> read(ctx, msg));
                    return;
                }
            }
            read(ctx, msg);
        } else {
            toWorker(ctx, () -> read(ctx, msg));
        }
    }

    /** A GET or HEAD without a body, whose credentials (if any) need no bcrypt: a candidate for the event loop. */
    private boolean answersInline(HttpRequest request) {
        HttpMethod method = request.method();
        return (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) && !server.draining()
                && request.decoderResult().isSuccess() && HttpUtil.getContentLength(request, 0L) == 0
                && !HttpUtil.isTransferEncodingChunked(request) && !HttpUtil.is100ContinueExpected(request)
                && routes.authenticator.answersWithoutHashing(request.headers().get(HttpHeaderNames.AUTHORIZATION),
                        routes.tls);
    }

    /**
     * Runs {@code task} on the connection's file-I/O thread. The count of outstanding tasks is lowered
     * by a task queued on the event loop after whatever {@code task} wrote, so the event loop handles
     * nothing inline before those writes are in the channel.
     */
    private void toWorker(ChannelHandlerContext ctx, Runnable task) {
        queued++;
        try {
            worker.execute(() -> {
                try {
                    task.run();
                } finally {
                    try {
                        ctx.executor().execute(() -> queued--);
                    } catch (RejectedExecutionException stopped) {
                        // the event loop has stopped (server shutdown): the connection is gone with it
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            queued--;
            LOG.debug("file-I/O threads stopped; closing {}", ctx.channel().remoteAddress());
            ctx.close();
        }
    }

    private void read(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        RequestTimeoutGuard timer = ctx.pipeline().get(RequestTimeoutGuard.class);
        if (timer != null) {
            timer.headersReceived();
        }
        Exchange ex = new Exchange(ctx, request, routes.tls, worker);
        current = ex;
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ex.keepAlive = false;
            discarding = true;
            if (cause instanceof MalformedRequestException malformed) {
                LOG.debug("refused request from {}: {}", ctx.channel().remoteAddress(), malformed.getMessage());
            }
            ex.status(cause instanceof MalformedRequestException malformed ? malformed.status()
                    : cause instanceof TooLongHttpHeaderException ? HEADERS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException ? HEADERS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST);
            return;
        }
        boolean keepAlive = ex.keepAlive;
        long length = HttpUtil.getContentLength(request, -1L);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        boolean continueExpected = HttpUtil.is100ContinueExpected(request);
        // An early answer leaves the body unread: drop a small one, else close rather than read it all.
        ex.keepAlive = keepAlive && !continueExpected && !chunked && length <= DISCARDABLE_BODY_BYTES;
        try {
            route(ex, length);
        } catch (PathRefusedException e) {
            refuse(ex, e);
        } catch (IOException e) {
            fail(ex, e);
        }
        if (ex.responded()) {
            discarding = true;
            sink = null;
            pending = null;
            return;
        }
        ex.keepAlive = keepAlive && !server.draining();
        if (inline && pending != routes.read) {
            inline = false; // the answer goes to the file-I/O thread with the request's end
        }
        if (sink != null && !sink.takeSocket()) {
            ctx.channel().config().setAutoRead(false);
            ctx.read(); // ask for the body's first piece: nothing else will
        }
        if (continueExpected) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    private void route(Exchange ex, long length) throws PathRefusedException, IOException {
        if (server.draining()) {
            ex.keepAlive = false;
            ex.status(HttpResponseStatus.SERVICE_UNAVAILABLE);
            return;
        }
        String method = ex.method().name();
        RequestPath path = RequestPath.parse(ex.request.uri());
        if (method.equals("OPTIONS")) {
            ex.extraHeader(HttpHeaderNames.ALLOW, Routes.ALLOW);
            ex.extraHeader("DAV", "1, 2");
            ex.extraHeader("MS-Author-Via", "DAV");
            ex.empty(HttpResponseStatus.OK);
            return;
        }
        if (!method.equals("PUT") && routes.handler(method) == null) {
            ex.extraHeader(HttpHeaderNames.ALLOW, Routes.ALLOW);
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        String user = authenticate(ex);
        if (ex.responded()) {
            return;
        }
        ex.user = user;
        if (path.isRoot()) {
            serveRoot(ex, user);
            return;
        }
        Application application = routes.applications.get(path.segments().getFirst());
        if (application != null) {
            if (user == null && routes.authenticator.hasUsers()) {
                askToSignIn(ex);
            } else {
                application.serve(ex, path);
            }
            return;
        }
        Share share = routes.shares.get(path.segments().getFirst());
        if (share == null) {
            throw PathRefusedException.notFound(ex.request.uri());
        }
        Access access = share.access(user);
        boolean read = Routes.isRead(method);
        if (read ? !access.canRead() : !access.canWrite()) {
            if (user != null) {
                ex.status(HttpResponseStatus.FORBIDDEN);
            } else {
                askToSignIn(ex);
            }
            return;
        }
        List<String> segments = path.segments().subList(1, path.segments().size());
        // Reads judge symbolic links themselves, most often with one openat2 (see ReadHandler).
        Resource resource = routes.handler(method) == routes.read ? share.unresolved(segments, ex.request.uri())
                : share.locate(segments, ex.request.uri());
        if (method.equals("PUT")) {
            sink = routes.put.begin(ex, resource);
            return;
        }
        MethodHandler handler = routes.handler(method);
        if (length > routes.limits.maxXmlBodyBytes()) {
            ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        pending = handler;
        pendingResource = resource;
        buffered = new ByteArrayOutputStream();
    }

    /** The signed-in user, null for an anonymous client; or a response (401, 403) already sent. */
    private String authenticate(Exchange ex) {
        BasicAuthenticator.Result result = routes.authenticator.authenticate(
                ex.header(HttpHeaderNames.AUTHORIZATION), ex.secure, remoteHost(ex));
        return switch (result) {
            case BasicAuthenticator.Result.Anonymous a -> null;
            case BasicAuthenticator.Result.Authenticated ok -> ok.user();
            case BasicAuthenticator.Result.Rejected r -> {
                challenge(ex);
                yield null;
            }
            case BasicAuthenticator.Result.Insecure i -> {
                ex.text(HttpResponseStatus.FORBIDDEN, "passwords are accepted over HTTPS only\n");
                yield null;
            }
            case BasicAuthenticator.Result.Throttled t -> {
                // RFC 6585 section 4: 429 with Retry-After, the seconds until the lock ends.
                ex.extraHeader(HttpHeaderNames.RETRY_AFTER, Long.toString(t.retryAfterSeconds()));
                ex.text(HttpResponseStatus.TOO_MANY_REQUESTS, "too many failed sign-ins; try again in "
                        + t.retryAfterSeconds() + " s\n");
                yield null;
            }
        };
    }

    /** The client's IP address, the key of the sign-in throttle. */
    private static String remoteHost(Exchange ex) {
        return ex.ctx.channel().remoteAddress() instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress() : String.valueOf(ex.ctx.channel().remoteAddress());
    }

    /** An anonymous client asked for what needs a user: 401 where it may sign in, else 403 saying why. */
    private void askToSignIn(Exchange ex) {
        if (routes.authenticator.mayChallenge(ex.secure)) {
            challenge(ex);
        } else {
            ex.text(HttpResponseStatus.FORBIDDEN, "this needs a signed-in user; signing in needs HTTPS\n");
        }
    }

    private void challenge(Exchange ex) {
        ex.extraHeader(HttpHeaderNames.WWW_AUTHENTICATE, routes.authenticator.challenge());
        ex.status(HttpResponseStatus.UNAUTHORIZED);
    }

    private void serveRoot(Exchange ex, String user) {
        List<String> visible = routes.shares.values().stream().filter(s -> s.access(user).canRead())
                .map(Share::name).toList();
        if (visible.isEmpty() && user == null && routes.authenticator.mayChallenge(ex.secure)) {
            challenge(ex);
            return;
        }
        String method = ex.method().name();
        if (method.equals("GET") || method.equals("HEAD")) {
            ex.html(HttpResponseStatus.OK, DirectoryListingPage.renderFolders("/", visible));
        } else if (method.equals("PROPFIND")) {
            StringBuilder out = new StringBuilder("<D:response><D:href>/</D:href><D:propstat><D:prop>"
                    + "<D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                    + "</D:propstat></D:response>");
            DavResponses.multistatus(ex, out);
        } else {
            ex.extraHeader(HttpHeaderNames.ALLOW, "OPTIONS, GET, HEAD, PROPFIND");
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
        }
    }

    private void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        Exchange ex = current;
        try {
            if (discarding || ex == null) {
                return;
            }
            if (content.decoderResult().isFailure()) {
                refuseBody(ex, content.decoderResult().cause());
                return;
            }
            ByteBuf piece = content.content();
            if (sink != null) {
                sink.content(piece);
                if (last) {
                    BodySink done = sink;
                    sink = null;
                    done.end();
                } else {
                    ex.ctx.read(); // the piece is on disk: take the next one
                }
            } else if (pending != null) {
                if (buffered.size() + piece.readableBytes() > routes.limits.maxXmlBodyBytes()) {
                    pending = null;
                    ex.keepAlive = false;
                    ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                    discarding = true;
                    return;
                }
                piece.readBytes(buffered, piece.readableBytes());
                if (last) {
                    MethodHandler handler = pending;
                    pending = null;
                    ShareFile opened = quickFile;
                    quickFile = null;
                    if (opened != null) {
                        routes.read.serve(ex, opened);
                    } else {
                        handler.handle(ex, pendingResource, buffered.toByteArray());
                    }
                }
            }
        } catch (UploadReceiver.TooLargeException e) {
            sink = null;
            ex.keepAlive = false;
            discarding = true;
            ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        } catch (PathRefusedException e) {
            refuse(ex, e);
        } catch (IOException e) {
            if (sink != null) {
                sink.abort();
                sink = null;
                ex.keepAlive = false;
                discarding = !last;
            }
            fail(ex, e);
        } finally {
            if (ex != null && !ex.ctx.channel().config().isAutoRead() && (last || sink == null)) {
                ex.ctx.channel().config().setAutoRead(true);
            }
            if (last) {
                inline = false;
                discarding = false;
                closeQuickFile();
                if (ex != null && !ex.responded()) {
                    fail(ex, new IOException("request ended without an answer"));
                }
                current = null;
                RequestTimeoutGuard timer = ex == null ? null : ex.ctx.pipeline().get(RequestTimeoutGuard.class);
                if (timer != null) {
                    timer.requestEnded();
                }
            }
        }
    }

    /**
     * The body cannot be decoded (a chunk-size line that is not hex, negative or too large, a broken chunk
     * end or trailer): RFC 9112 section 7.1 leaves no way to know where the message ends, so the upload or
     * the collected body is dropped, the request answered 400 and the connection closed (Netty's decoder
     * discards everything after such a chunk). What the body would have replaced stays as it was.
     */
    private void refuseBody(Exchange ex, Throwable cause) {
        LOG.warn("{} {} from {}: body cannot be decoded: {}", ex.method(), PathRefusedException.quote(ex.request.uri()),
                ex.ctx.channel().remoteAddress(), cause == null ? "?" : cause.toString());
        if (sink != null) {
            sink.abort();
            sink = null;
        }
        pending = null;
        discarding = true;
        ex.keepAlive = false;
        ex.text(HttpResponseStatus.BAD_REQUEST, "the request body cannot be decoded (malformed chunked encoding)\n");
    }

    /** A file opened for an answer that never came (the request failed first) is closed, not leaked. */
    private void closeQuickFile() {
        if (quickFile != null) {
            try {
                quickFile.file().close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", quickFile.file(), e.toString());
            }
            quickFile = null;
        }
    }

    private static void refuse(Exchange ex, PathRefusedException e) {
        if (e.status().equals(HttpResponseStatus.NOT_FOUND)) {
            LOG.debug("{}", e.getMessage());
        } else {
            LOG.warn("{} from {}", e.getMessage(), ex.ctx.channel().remoteAddress());
        }
        if (!ex.responded()) {
            ex.status(e.status());
        }
    }

    /** Maps a filesystem failure to its status: 404, 403, 507 for a full disk, else 500 (and a log line). */
    private static void fail(Exchange ex, IOException e) {
        if (ex.responded()) {
            return;
        }
        if (e instanceof NoSuchFileException) {
            ex.status(HttpResponseStatus.NOT_FOUND);
        } else if (e instanceof AccessDeniedException) {
            ex.status(HttpResponseStatus.FORBIDDEN);
        } else if (isDiskFull(e)) {
            LOG.warn("{} {}: disk full: {}", ex.method(), PathRefusedException.quote(ex.request.uri()), e.toString());
            ex.status(DavResponses.INSUFFICIENT_STORAGE);
        } else {
            LOG.error("{} {} failed: {}", ex.method(), PathRefusedException.quote(ex.request.uri()), e.toString());
            ex.status(HttpResponseStatus.INTERNAL_SERVER_ERROR);
        }
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String text = t instanceof FileSystemException fse ? fse.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left on device") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (onWorker()) {
            toWorker(ctx, () -> userEvent(ctx, evt));
        } else {
            userEvent(ctx, evt);
        }
    }

    /**
     * Whether the connection's events belong on its file-I/O thread: work is queued there, or a request is
     * under way (an upload whose body the thread is splicing from the socket queues nothing in between).
     */
    private boolean onWorker() {
        return queued > 0 || current != null && !inline;
    }

    private void userEvent(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            LOG.debug("closing idle connection {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (onWorker()) {
            toWorker(ctx, () -> inactive(ctx));
        } else {
            inactive(ctx);
        }
    }

    private void inactive(ChannelHandlerContext ctx) {
        if (sink != null) {
            LOG.info("upload {} interrupted by {}: discarded, the old file is untouched",
                    PathRefusedException.quote(current.request.uri()), ctx.channel().remoteAddress());
            sink.abort();
            sink = null;
        }
        current = null;
        ctx.fireChannelInactive();
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
}
