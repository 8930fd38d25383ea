// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.AutoEngine;
import org.layerstore.datapath.engine.SocketDescriptor;
import org.layerstore.datapath.engine.Transfer;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.mapping.FileShrankException;
import org.layerstore.netstack.netty.MappedFileRegion;
import org.layerstore.netstack.netty.NetStackChannel;
import org.layerstore.services.http.ranges.ByteRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelProgressiveFuture;
import io.netty.channel.ChannelProgressiveFutureListener;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;

/**
 * Every file body the server sends goes out through here, carried by one of the datapath's transmit
 * engines: each share's configured engine, or for {@code auto} the engine {@link AutoEngine} picks for
 * the request's size (its reason logged once per engine it picks, not per request). The engine's
 * transfer runs inside an {@link EngineFileRegion}, so Netty's event loop drives it like any file region.
 * A body of at most {@value SmallBody#MAX_BYTES} bytes on an {@code auto} share goes with its header in
 * one write instead ({@link SmallBody}); the access log names it {@code copy}.
 *
 * <p>A configured engine that is unavailable on this host is found when the server starts: a warning
 * names the share and the reason, the engine's statistics count the fallback, and its shares use
 * {@code auto} (see {@link #fallbacks()}). An engine that cannot start one transfer (the offload
 * engine's ports all busy, a memory-lock limit) falls back to {@code auto}'s pick for that request,
 * counted in the engine's statistics with the reason.
 *
 * <p>TLS connections cannot use the engines: the bytes must pass through the SSL engine in user space,
 * so they are read in chunks into buffers, the {@code copy} engine's way, and counted as such.
 */
public final class FileBodyWriter {

    /** Bytes per buffer when a file body goes through the SSL engine. */
    static final int TLS_CHUNK_BYTES = 64 * 1024;
    static final String COPY = "copy";
    /** What the access log names as the carrier of a body on the offload port. */
    static final String USER_SPACE_STACK = "netstack";
    static final String TLS_REASON = "TLS: the bytes pass through the SSL engine in user space";

    private static final Logger LOG = LoggerFactory.getLogger(FileBodyWriter.class);

    private final boolean tls;
    private final TransmitEngines engines;
    private final AutoEngine auto;
    /** Configured engine name to the engine that serves it (an unavailable one maps to auto). */
    private final Map<String, TransmitEngine> configured = new ConcurrentHashMap<>();
    private final List<EngineFallback> fallbacks = new ArrayList<>();
    private final Set<String> loggedChoices = ConcurrentHashMap.newKeySet();

    public FileBodyWriter(boolean tls, TransmitEngines engines, Collection<Share> shares) {
        this.tls = tls;
        this.engines = engines;
        this.auto = engines.auto();
        for (Share share : shares) {
            TransmitEngine engine = engines.engine(share.engine());
            Availability availability = engine.availability();
            if (tls && (engine == auto || COPY.equals(engine.name()))) {
                continue; // under TLS auto's only choice is copy: nothing to warn about
            }
            String reason = tls ? TLS_REASON : availability.available() ? null : availability.reason();
            if (reason == null) {
                configured.put(engine.name(), engine);
                continue;
            }
            String fallback = tls ? COPY : AutoEngine.NAME;
            configured.put(engine.name(), tls ? engines.engine(COPY) : auto);
            if (!AutoEngine.NAME.equals(engine.name())) {
                engine.statistics().fallback(reason);
            }
            fallbacks.add(new EngineFallback(share.name(), engine.name(), fallback, reason));
            LOG.warn("share '{}': engine {} does not apply ({}); its file bodies go through {}", share.name(),
                    engine.name(), reason, fallback);
        }
    }

    /** The shares whose configured engine does not apply here, found at start. */
    public List<EngineFallback> fallbacks() {
        return List.copyOf(fallbacks);
    }

    /** The engine that will carry a body of {@code length} bytes for a share configured with {@code requested}. */
    TransmitEngine engineFor(String requested, long length) {
        if (tls) {
            return engines.engine(COPY);
        }
        TransmitEngine engine = configured.computeIfAbsent(requested, engines::engine);
        if (engine != auto) {
            return engine;
        }
        TransmitEngine picked = auto.pick(length);
        if (!loggedChoices.contains(picked.name()) && loggedChoices.add(picked.name())) {
            LOG.info("auto engine picks {}", auto.choose(length).reason());
        }
        auto.statistics().transferStarted();
        return picked;
    }

    /** Writes {@code length} bytes of {@code file} (now owned here) from {@code offset}, then the end of the message. */
    ChannelFuture write(Exchange ex, String requestedEngine, OpenFile file, long offset, long length) throws IOException {
        if (onStack(ex)) {
            ex.engine(body(ex, null, file, offset, length));
            return ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
        }
        if (!tls && length <= SmallBody.MAX_BYTES && configured.computeIfAbsent(requestedEngine, engines::engine) == auto) {
            return writeSmall(ex, file, offset, (int) length);
        }
        TransmitEngine engine;
        try {
            engine = engineFor(requestedEngine, length);
        } catch (RuntimeException e) {
            file.close();
            throw e;
        }
        ex.engine(body(ex, engine, file, offset, length));
        return ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * {@code auto}'s way with a small body: in the header's write (see {@link SmallBody}). A read that
     * fails after the header was queued closes the connection, as a body cut short must.
     */
    private ChannelFuture writeSmall(Exchange ex, OpenFile file, long offset, int length) throws IOException {
        TransmitEngine copy = engines.engine(COPY);
        copy.statistics().transferStarted();
        auto.statistics().transferStarted();
        ByteBuf body;
        try (file) {
            body = SmallBody.read(ex.ctx.alloc(), file, offset, length, copy.statistics());
        } catch (IOException | RuntimeException e) {
            copy.statistics().transferFailed();
            ex.ctx.close();
            throw e;
        }
        ex.engine(COPY);
        return ex.ctx.writeAndFlush(new DefaultLastHttpContent(body));
    }

    /** One part of a multipart/byteranges body: its header block and the range it carries. */
    record Part(String header, ByteRange range) {
    }

    /**
     * Writes each part's header then its bytes (one region per part, each on its own descriptor of
     * {@code file}, now owned here), then the closing delimiter.
     */
    ChannelFuture writeParts(Exchange ex, String requestedEngine, OpenFile file, List<Part> parts, String closing)
            throws IOException {
        List<String> used = new ArrayList<>();
        try (file) {
            for (Part part : parts) {
                ex.ctx.write(Unpooled.copiedBuffer(part.header(), StandardCharsets.US_ASCII));
                TransmitEngine engine = onStack(ex) ? null : engineFor(requestedEngine, part.range().length());
                String carried = body(ex, engine, file.duplicate(), part.range().first(), part.range().length());
                if (!used.contains(carried)) {
                    used.add(carried);
                }
            }
        }
        ex.engine(String.join("+", used));
        ex.ctx.write(Unpooled.copiedBuffer(closing, StandardCharsets.US_ASCII));
        return ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /**
     * Whether the connection is the offload port's (the user-space stack): its bodies go as references to
     * the file's mapped pages ({@link MappedFileRegion}), not through an engine, unless TLS must encrypt them.
     */
    private boolean onStack(Exchange ex) {
        return !tls && ex.ctx.channel() instanceof NetStackChannel;
    }

    /**
     * Writes one range of {@code file} (owned from here on: closed when the region is released, or now on
     * failure) through {@code engine} (or its fallback; null on the offload port); returns what carries it.
     */
    private String body(Exchange ex, TransmitEngine engine, OpenFile file, long offset, long length) throws IOException {
        FileRange range = new FileRange(offset, length);
        Path path = file.path();
        if (onStack(ex)) {
            ex.ctx.write(new MappedFileRegion(file, range), ex.ctx.newProgressivePromise()
                    .addListener(new ChannelProgressiveFutureListener() {
                        @Override
                        public void operationProgressed(ChannelProgressiveFuture f, long progress, long total) {
                            progressed(ex.ctx);
                        }

                        @Override
                        public void operationComplete(ChannelProgressiveFuture f) {
                            logEnded(f, range, path, USER_SPACE_STACK);
                        }
                    }));
            return USER_SPACE_STACK;
        }
        if (tls) {
            FileChannel channel;
            try (file) {
                // A channel of its own on the very file the descriptor has open: no second path lookup.
                channel = FileChannel.open(Path.of("/proc/self/fd/" + file.fd()), StandardOpenOption.READ);
            }
            try {
                // Netty's chunked writer only fails the write when a chunk cannot be read; the body is cut
                // short after its Content-Length went out, so the connection must end here (RFC 9112 8).
                ex.ctx.write(new TlsFileChunks(channel, offset, length, TLS_CHUNK_BYTES, engine.statistics()))
                        .addListener(f -> {
                            logEnded(f, range, path, COPY);
                            if (!f.isSuccess()) {
                                ex.ctx.channel().close();
                            }
                        });
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return engine.name();
        }
        try {
            Transfer transfer;
            try {
                transfer = engine.open(file, range);
            } catch (FileShrankException e) {
                throw e;
            } catch (IOException e) {
                engine = fallbackFor(engine, length, e);
                transfer = engine.open(file, range);
            }
            SocketDescriptor socket;
            boolean ownSocket = engine.usesSocketAfterWrite();
            try {
                socket = socketOf(ex.ctx.channel(), ownSocket);
            } catch (IOException | RuntimeException e) {
                transfer.close();
                throw e;
            }
            String carrier = engine.name();
            ex.ctx.write(new EngineFileRegion(file, transfer, socket, ownSocket))
                    .addListener(f -> logEnded(f, range, path, carrier));
            return carrier;
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    /** A body that did not go out in full (the file shrank, the client went away) is logged with its cause. */
    /**
     * Each part of an offload-port body the stack takes counts as a write for the idle timeout, as the
     * engines' confirmed chunks do ({@link AsyncBodyDriver}): the body is one region, whose write completes
     * only at its end, and Netty's {@link IdleStateHandler} fires its first event whatever the output's
     * progress, so a download longer than the timeout was closed mid-body.
     */
    private static void progressed(ChannelHandlerContext ctx) {
        IdleStateHandler idle = ctx.pipeline().get(IdleStateHandler.class);
        if (idle != null) {
            idle.resetWriteTimeout();
        }
    }

    private static void logEnded(Future<?> write, FileRange range, Path path, String carrier) {
        if (!write.isSuccess()) {
            LOG.info("{} of {} by {} ended: {}", range, path, carrier, write.cause().toString());
        }
    }

    /** The engine auto picks when {@code failed} could not start a transfer; the fallback is counted. */
    private TransmitEngine fallbackFor(TransmitEngine failed, long length, IOException why) throws IOException {
        TransmitEngine instead = auto.pick(length);
        if (instead == failed) {
            throw why;
        }
        failed.statistics().fallback("could not start a transfer, used " + instead.name());
        LOG.debug("engine {} could not start a transfer of {} bytes ({}): {} carries it", failed.name(), length,
                why.getMessage(), instead.name());
        return instead;
    }

    /** The connection's descriptor: a duplicate of its own when {@code own}, else Netty's, borrowed. */
    private static SocketDescriptor socketOf(Channel channel, boolean own) throws IOException {
        if (!(channel instanceof EpollSocketChannel epoll)) {
            throw new IllegalStateException("file bodies need Netty's epoll transport, not " + channel.getClass().getName());
        }
        int fd = epoll.fd().intValue();
        return own ? EngineFileRegion.duplicate(fd) : SocketDescriptor.of(fd);
    }
}
