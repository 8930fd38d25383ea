// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

import org.layerstore.hal.libc.Errno;
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
    private final HttpStats stats;
    /** The connection's request-header clock, told when each request's headers are in and when it ends. */
    private final RequestTimeoutGuard timer;
    /**
     * Tasks given to {@link #worker} and not yet reported done; event-loop confined. Not part of
     * {@link State}: it orders work between the two threads across requests, whatever each request is at.
     */
    private int queued;
    private State state = State.IDLE;
    /** The request of every state but {@link State#IDLE}. */
    private volatile Exchange current;
    /** {@link State#UPLOADING}: where the body goes, until its end is handed over. */
    private BodySink sink;
    /** {@link State#COLLECTING}: the handler and what it answers for, and the body so far. */
    private Collected collected;
    /** {@link State#READING_INLINE}: the file the answer sends, opened on the event loop. */
    private ShareFile opened;

    /**
     * Where the connection is within its current message (RFC 9112 section 6: a head, then a body that
     * Netty's decoder delivers as content pieces, the last a {@code LastHttpContent}), and which thread
     * handles the rest of it. {@link #enter} is the only place that changes it.
     */
    enum State {
        /** Between messages: the next one is a request head. */
        IDLE(false),
        /** A GET or HEAD whose file is open: answered on the event loop when the (empty) body ends. */
        READING_INLINE(true),
        /** A body collected, bounded, for the method's handler, which answers when it ends. */
        COLLECTING(false),
        /** A PUT's body streaming into its upload (from Netty's pieces, or taken from the socket). */
        UPLOADING(false),
        /** Answered (or nothing waits for the body) on the event loop: the rest is dropped there. */
        DISCARDING_INLINE(true),
        /** Answered (or nothing waits for the body) on the file-I/O thread: the rest is dropped. */
        DISCARDING(false);

        /** The rest of the message is handled on the event loop (no task of the connection is queued). */
        final boolean inline;

        State(boolean inline) {
            this.inline = inline;
        }

        /** A head leads from IDLE anywhere; a body's end leads back; an answer given early leads to discarding. */
        boolean leadsTo(State next) {
            return switch (this) {
                case IDLE -> next != IDLE;
                case READING_INLINE -> next == IDLE || next == DISCARDING_INLINE;
                case COLLECTING, UPLOADING -> next == IDLE || next == DISCARDING;
                case DISCARDING_INLINE, DISCARDING -> next == IDLE;
            };
        }
    }

    /** A collected body's destination: {@code handler} answers for {@code resource} with {@code bytes}. */
    private record Collected(MethodHandler handler, Resource resource, ByteArrayOutputStream bytes) {
    }

    /**
     * {@code worker}: the file-I/O thread of this connection, for the work that may block; {@code stats}
     * counts its requests and responses.
     */
    RequestDispatcher(Routes routes, ServerState server, EventExecutor worker, HttpStats stats, RequestTimeoutGuard timer) {
        this.routes = routes;
        this.server = server;
        this.worker = worker;
        this.stats = stats;
        this.timer = timer;
    }

    /** Whether a request is being received or answered on this connection (shutdown waits for it). */
    boolean busy() {
        return current != null;
    }

    /**
     * The one transition: checks it is one the machine has, and drops what the state left held. A file
     * opened for an answer that never came (the request failed first) is closed, not leaked; an upload
     * is aborted by whoever abandons it, before, since only it knows why.
     */
    private void enter(State next) {
        if (!state.leadsTo(next)) {
            throw new IllegalStateException("connection state " + state + " cannot lead to " + next);
        }
        if (next == State.IDLE || next == State.DISCARDING || next == State.DISCARDING_INLINE) {
            sink = null;
            collected = null;
            closeOpened();
        }
        state = next;
    }

    /** The answer is given before the body ended: the rest of the message is dropped where it is handled. */
    private void discard() {
        enter(state.inline ? State.DISCARDING_INLINE : State.DISCARDING);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (queued == 0 && (state.inline || msg instanceof HttpRequest request && answersInline(request))) {
            read(ctx, msg, true);
        } else {
            toWorker(ctx, () -> read(ctx, msg, false));
        }
    }

    /** A GET or HEAD without a body, whose credentials (if any) need no bcrypt: a candidate for the event loop. */
    private boolean answersInline(HttpRequest request) {
        Method method = Method.of(request.method());
        return method != null && method.body() == Method.Body.FILE_READ && !server.draining()
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

    /** {@code inline}: on the event loop, for a request head that {@link #answersInline} may answer there. */
    private void read(ChannelHandlerContext ctx, Object msg, boolean inline) {
        try {
            if (msg instanceof HttpRequest request) {
                onRequest(ctx, request, inline);
            }
            if (msg instanceof HttpContent content) {
                onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request, boolean inline) {
        timer.headersReceived();
        stats.requestReceived();
        Exchange ex = new Exchange(ctx, request, routes.tls, worker, stats);
        current = ex;
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            ex.keepAlive(false);
            enter(State.DISCARDING);
            if (cause instanceof MalformedRequestException malformed) {
                LOG.debug("refused request from {}: {}", ctx.channel().remoteAddress(), malformed.getMessage());
            }
            ex.status(cause instanceof MalformedRequestException malformed ? malformed.status()
                    : cause instanceof TooLongHttpHeaderException ? HEADERS_TOO_LARGE
                    : cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongFrameException ? HEADERS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST);
            return;
        }
        boolean keepAlive = ex.keepsAlive();
        long length = HttpUtil.getContentLength(request, -1L);
        boolean chunked = HttpUtil.isTransferEncodingChunked(request);
        boolean continueExpected = HttpUtil.is100ContinueExpected(request);
        // An early answer leaves the body unread: drop a small one, else close rather than read it all.
        ex.keepAlive(keepAlive && !continueExpected && !chunked && length <= DISCARDABLE_BODY_BYTES);
        try {
            route(ex, length, inline);
        } catch (PathRefusedException e) {
            refuse(ex, e);
        } catch (IOException e) {
            fail(ex, e);
        }
        if (ex.responded()) {
            enter(inline ? State.DISCARDING_INLINE : State.DISCARDING);
            return;
        }
        if (state == State.IDLE) {
            enter(State.DISCARDING); // nothing takes the body: its end finds the request unanswered (500)
            return;
        }
        ex.keepAlive(keepAlive && !server.draining());
        if (state == State.UPLOADING && !sink.takeSocket()) {
            ctx.channel().config().setAutoRead(false);
            ctx.read(); // ask for the body's first piece: nothing else will
        }
        if (continueExpected) {
            ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
    }

    /** Decides the request's fate from its head: answers it, or enters the state that takes its body. */
    private void route(Exchange ex, long length, boolean inline) throws PathRefusedException, IOException {
        if (server.draining()) {
            ex.keepAlive(false);
            ex.status(HttpResponseStatus.SERVICE_UNAVAILABLE);
            return;
        }
        Method method = Method.of(ex.method());
        RequestPath path = RequestPath.parse(ex.request.uri());
        if (method == Method.OPTIONS) {
            ex.extraHeader(HttpHeaderNames.ALLOW, Method.ALLOW);
            ex.extraHeader("DAV", "1, 2");
            ex.extraHeader("MS-Author-Via", "DAV");
            ex.empty(HttpResponseStatus.OK);
            return;
        }
        if (method == null) {
            ex.extraHeader(HttpHeaderNames.ALLOW, Method.ALLOW);
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        String user = authenticate(ex);
        if (ex.responded()) {
            return;
        }
        ex.signedIn(user);
        if (path.isRoot()) {
            serveRoot(ex, method, user);
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
        if (method.reads() ? !access.canRead() : !access.canWrite()) {
            if (user != null) {
                ex.status(HttpResponseStatus.FORBIDDEN);
            } else {
                askToSignIn(ex);
            }
            return;
        }
        List<String> segments = path.segments().subList(1, path.segments().size());
        boolean fileRead = method.body() == Method.Body.FILE_READ;
        // Reads judge symbolic links themselves, most often with one openat2 (see ReadHandler).
        Resource resource = fileRead ? share.unresolved(segments, ex.request.uri())
                : share.locate(segments, ex.request.uri());
        if (method.body() == Method.Body.UPLOAD) {
            BodySink upload = routes.put.begin(ex, resource);
            if (upload != null) {
                sink = upload;
                enter(State.UPLOADING);
            }
            return;
        }
        if (length > routes.limits.maxXmlBodyBytes()) {
            ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return;
        }
        if (fileRead && inline) {
            // A folder, a link to judge, a missing file or an engine that pins its range first: the file-I/O thread.
            Optional<ShareFile> file = routes.read.openQuickly(resource);
            if (file.isPresent()) {
                opened = file.get();
                enter(State.READING_INLINE);
                return;
            }
        }
        collected = new Collected(routes.handler(method), resource, new ByteArrayOutputStream());
        enter(State.COLLECTING);
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

    private void serveRoot(Exchange ex, Method method, String user) {
        List<String> visible = routes.shares.values().stream().filter(s -> s.access(user).canRead())
                .map(Share::name).toList();
        if (visible.isEmpty() && user == null && routes.authenticator.mayChallenge(ex.secure)) {
            challenge(ex);
            return;
        }
        switch (method) {
            case GET, HEAD -> ex.html(HttpResponseStatus.OK, DirectoryListingPage.renderFolders("/", visible));
            case PROPFIND -> {
                StringBuilder out = new StringBuilder("<D:response><D:href>/</D:href><D:propstat><D:prop>"
                        + "<D:resourcetype><D:collection/></D:resourcetype></D:prop><D:status>HTTP/1.1 200 OK</D:status>"
                        + "</D:propstat></D:response>");
                DavResponses.multistatus(ex, out);
            }
            default -> {
                ex.extraHeader(HttpHeaderNames.ALLOW, Method.ALLOW_READS);
                ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            }
        }
    }

    private void onContent(HttpContent content) {
        boolean last = content instanceof LastHttpContent;
        Exchange ex = current;
        if (state == State.IDLE) {
            return; // no request: the piece of a connection whose request was dropped with it
        }
        try {
            if (state == State.DISCARDING || state == State.DISCARDING_INLINE) {
                return; // answered already
            }
            if (content.decoderResult().isFailure()) {
                refuseBody(ex, content.decoderResult().cause());
                return;
            }
            ByteBuf piece = content.content();
            switch (state) {
                case UPLOADING -> {
                    sink.content(piece);
                    if (last) {
                        BodySink done = sink;
                        sink = null;
                        done.end();
                    } else {
                        ex.ctx.read(); // the piece is on disk: take the next one
                    }
                }
                case COLLECTING -> {
                    if (collected.bytes().size() + piece.readableBytes() > routes.limits.maxXmlBodyBytes()) {
                        ex.keepAlive(false);
                        ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                        discard();
                        return;
                    }
                    piece.readBytes(collected.bytes(), piece.readableBytes());
                    if (last) {
                        collected.handler().handle(ex, collected.resource(), collected.bytes().toByteArray());
                    }
                }
                case READING_INLINE -> {
                    if (last) {
                        ShareFile file = opened;
                        opened = null;
                        routes.read.serve(ex, file);
                    }
                }
            }
        } catch (UploadReceiver.TooLargeException e) {
            sink = null;
            ex.keepAlive(false);
            discard();
            ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
        } catch (PathRefusedException e) {
            refuse(ex, e);
        } catch (IOException e) {
            if (sink != null) {
                sink.abort();
                ex.keepAlive(false);
                discard();
            }
            fail(ex, e);
        } finally {
            if (!ex.ctx.channel().config().isAutoRead() && (last || sink == null)) {
                ex.ctx.channel().config().setAutoRead(true);
            }
            if (last) {
                endRequest(ex);
            }
        }
    }

    /** The message's end: every request gets an answer, then the connection is ready for the next head. */
    private void endRequest(Exchange ex) {
        if (!ex.responded()) {
            fail(ex, new IOException("request ended without an answer"));
        }
        enter(State.IDLE);
        current = null;
        timer.requestEnded();
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
        }
        discard();
        ex.keepAlive(false);
        ex.text(HttpResponseStatus.BAD_REQUEST, "the request body cannot be decoded (malformed chunked encoding)\n");
    }

    private void closeOpened() {
        if (opened != null) {
            try {
                opened.file().close();
            } catch (IOException e) {
                LOG.debug("closing {}: {}", opened.file(), e.toString());
            }
            opened = null;
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

    /** ENOSPC or EDQUOT from the C library call that failed, wherever in the chain of causes. */
    static boolean isDiskFull(Throwable e) {
        return Errno.of(e).filter(Errno::isNoSpace).isPresent();
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
        return queued > 0 || current != null && !state.inline;
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
        }
        if (state != State.IDLE) {
            enter(State.IDLE);
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
