// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import org.layerstore.datapath.engine.AsyncCompletion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;

/**
 * Sends the file bodies whose progress a device reports ({@link AsyncCompletion}: the offload engine's
 * frame manager) beside Netty's outbound buffer, driven by the device's completion descriptor, which is
 * registered on the connection's own event loop. The loop never waits for the device, and is woken when
 * the device has confirmed frames, not when the socket has room.
 *
 * <p>Why not as a file region in the outbound buffer like the other engines' bodies: Netty takes a
 * region's 0 for "socket full", sets EPOLLOUT and ignores flushes until epoll reports the socket
 * writable. The socket nearly always is (the frame manager writes it, not Netty), so Netty would either
 * call again at once, a busy loop, or sit until some unrelated socket event, never on the device's word.
 *
 * <p>Order. The driver sits at the head of the pipeline and sees every write. A body starts at the first
 * flush after it (as a region in the outbound buffer would), once every write before it is on the
 * socket (an empty buffer written behind them completes then); the frame manager puts the body on the
 * socket itself, and every write after it, flushes included, is held in order until the body is
 * confirmed, then replayed: the header goes before the body, the end of its message and the next
 * response (keep-alive, pipelining) after it. The body's promise completes when its last frame is
 * confirmed, or when the client closed having had every byte (it may close before the last
 * confirmation is collected).
 *
 * <p>Failures. A transfer that fails (a truncated file, a frame the hardware refused) fails the body's
 * promise and every held write, and closes the connection, as Netty does when a region fails. A closed
 * connection ends the body the same way. Such a transfer is closed on {@code releaser}, off the event
 * loop: closing waits (bounded) for the frames still in flight before it unpins the file.
 *
 * <p>Transfers longer than the idle timeout are not idle: each confirmed chunk resets the connection's
 * {@link IdleStateHandler} as a completed write would.
 */
final class AsyncBodyDriver extends ChannelDuplexHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncBodyDriver.class);
    /** Held in place of a flush that arrived while a body was being sent. */
    private static final Object FLUSH = new Object();

    private final Executor releaser;
    private final Deque<HeldWrite> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private IdleStateHandler idle;
    /** The body being sent or waiting for a flush to start; read by {@link #busy()} from other threads. */
    private volatile Body active;
    private boolean resuming;

    private record HeldWrite(Object message, ChannelPromise promise) {
    }

    /** {@code releaser} closes failed and abandoned transfers off the event loop. */
    AsyncBodyDriver(Executor releaser) {
        this.releaser = releaser;
    }

    /** Whether a body is being sent on this connection (shutdown waits for it). Callable from any thread. */
    boolean busy() {
        return active != null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        this.ctx = context;
    }

    @Override
    public void write(ChannelHandlerContext context, Object msg, ChannelPromise promise) {
        if (active != null) {
            held.add(new HeldWrite(msg, promise));
        } else if (msg instanceof EngineFileRegion region && region.asyncCompletion().isPresent()) {
            active = new Body(region, region.asyncCompletion().get(), promise);
        } else {
            context.write(msg, promise);
        }
    }

    /**
     * A body starts at the first flush after it, as a region in the outbound buffer would: by then the
     * end of its message, written before that flush, is held behind it, ready to follow it at once.
     */
    @Override
    public void flush(ChannelHandlerContext context) {
        Body body = active;
        if (body == null) {
            context.flush();
            return;
        }
        held.add(new HeldWrite(FLUSH, null));
        if (!body.started) {
            start(body);
        }
    }

    @Override
    public void close(ChannelHandlerContext context, ChannelPromise promise) {
        closing();
        context.close(promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        closing();
        context.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        closing();
    }

    /**
     * The connection closes (each of close, inactive and removal calls this): a body in flight and the
     * writes held behind it are abandoned. Nearly every connection has none, and then no exception is
     * made: a ClosedChannelException with its stack trace, three per connection, cost more than serving
     * a request.
     */
    private void closing() {
        if (active != null || !held.isEmpty()) {
            abandon(new ClosedChannelException());
        }
    }

    /** The body waits until everything written before it is on the socket: the device writes there itself. */
    private void start(Body body) {
        body.started = true;
        ChannelFuture before = ctx.write(Unpooled.EMPTY_BUFFER);
        ctx.flush();
        before.addListener(written -> {
            if (active != body) {
                return; // abandoned meanwhile
            }
            if (written.isSuccess()) {
                body.begin();
            } else {
                finish(body, written.cause());
            }
        });
    }

    /**
     * The body is over: on success the held writes go on (the first body among them starts in turn); on
     * failure they fail and the connection closes.
     */
    private void finish(Body body, Throwable failure) {
        if (!end(body, failure)) {
            return;
        }
        if (failure == null && !ctx.channel().isActive()) {
            deliveredThenClosed(new ClosedChannelException()); // the client closed as it got the last byte
        } else if (failure == null) {
            resume();
        } else {
            failHeld(failure);
            ctx.close();
        }
    }

    /**
     * Stops watching the body's device, closes its transfer and completes its promise; false when the
     * body was over already. A complete body's transfer closes here, before the next response goes out,
     * so a kept-alive client's next request finds its TX port free; closing has nothing to wait for then.
     * An unfinished one closes off the loop, as it waits for the frames still in flight.
     */
    private boolean end(Body body, Throwable failure) {
        if (active != body) {
            return false;
        }
        active = null;
        body.stopWatching();
        if (failure == null) {
            body.region.release();
            body.promise.trySuccess();
        } else {
            try {
                releaser.execute(body.region::release);
            } catch (RejectedExecutionException shuttingDown) {
                body.region.release();
            }
            body.promise.tryFailure(failure);
        }
        return true;
    }

    /**
     * Replays the held writes and flushes through {@link #write} and {@link #flush}, in order, as if they
     * arrived now: the next body among them is held again with what follows it. A body that ends while
     * being replayed (one that fails at once) lets what it held go first, then the rest.
     */
    private void resume() {
        if (resuming) {
            return; // the replay under way goes on with what this body held
        }
        resuming = true;
        try {
            Deque<HeldWrite> replay = new ArrayDeque<>();
            while (!replay.isEmpty() || active == null && !held.isEmpty()) {
                if (active != null && active.started) {
                    break; // the next body is on its way: the rest stays held behind it
                }
                if (active == null && !held.isEmpty()) {
                    held.descendingIterator().forEachRemaining(replay::addFirst);
                    held.clear();
                }
                HeldWrite next = replay.poll();
                if (next.message == FLUSH) {
                    flush(ctx);
                } else {
                    write(ctx, next.message, next.promise);
                }
            }
            held.addAll(replay);
        } finally {
            resuming = false;
        }
    }

    /**
     * The connection is closing: the body and everything held behind it fail, unless the body was
     * delivered. A client may close as soon as it has the last byte, before the last confirmation was
     * collected: then the body is complete, and so are the writes of nothing right behind it (the end of
     * its message), which would have gone out in no time.
     */
    private void abandon(Throwable cause) {
        Body body = active;
        if (body != null && body.deliveredAtClose()) {
            end(body, null);
            deliveredThenClosed(cause);
            return;
        }
        if (body != null) {
            LOG.debug("connection {} closed while a body was in flight: {} of {} bytes confirmed",
                    ctx.channel().remoteAddress(), body.region.transferred(), body.region.count());
            end(body, cause);
        }
        failHeld(cause);
    }

    /**
     * The body was delivered, but the connection is closed: the writes of nothing right behind it (the
     * end of its message) are complete, as they would have been had they gone out at once; the rest fail.
     */
    private void deliveredThenClosed(Throwable cause) {
        HeldWrite next;
        while ((next = held.peek()) != null && isEmpty(next.message)) {
            held.poll();
            if (next.message != FLUSH) {
                ReferenceCountUtil.release(next.message);
                next.promise.trySuccess();
            }
        }
        failHeld(cause);
    }

    private static boolean isEmpty(Object message) {
        return message == FLUSH || message instanceof ByteBuf bytes && !bytes.isReadable();
    }

    private void failHeld(Throwable cause) {
        HeldWrite next;
        while ((next = held.poll()) != null) {
            if (next.message != FLUSH) {
                ReferenceCountUtil.release(next.message);
                next.promise.tryFailure(cause);
            }
        }
    }

    /** Progress counts as a write for the idle timeout. */
    private void progressed() {
        if (idle == null) {
            idle = ctx.pipeline().get(IdleStateHandler.class);
        }
        if (idle != null) {
            idle.resetWriteTimeout();
        }
    }

    /** One body on its way: its region, and the device's completion descriptor as an epoll handle. */
    private final class Body implements EpollIoHandle {

        final EngineFileRegion region;
        final AsyncCompletion device;
        final ChannelPromise promise;
        boolean started;
        private final FileDescriptor completions;
        private IoRegistration registration;

        Body(EngineFileRegion region, AsyncCompletion device, ChannelPromise promise) {
            this.region = region;
            this.device = device;
            this.promise = promise;
            this.completions = new FileDescriptor(device.completionFd());
        }

        /** Hands the device its first frames, then watches its descriptor on the connection's event loop. */
        void begin() {
            if (!advance()) {
                return;
            }
            Future<IoRegistration> registering = ((IoEventLoop) ctx.channel().eventLoop()).register(this);
            registering.addListener(registered -> {
                if (!registered.isSuccess()) {
                    finish(this, registered.cause());
                    return;
                }
                registration = registering.getNow();
                if (active != this) {
                    registration.cancel(); // the body ended while it was being registered
                    return;
                }
                registration.submit(EpollIoOps.EPOLLIN); // level-triggered: the transfer's own ack clears it
            });
        }

        /** Collects the confirmed frames and gives the device more; false once the body is over. */
        private boolean advance() {
            try {
                long sent = region.sendMore();
                if (sent > 0) {
                    progressed();
                }
                if (region.isDone()) {
                    finish(this, null);
                    return false;
                }
                if (sent == 0 && !device.awaitingCompletions()) {
                    throw new IOException("transfer stalled after " + region.transferred() + " of " + region.count()
                            + " bytes: no frame with the frame manager");
                }
                return true;
            } catch (IOException | RuntimeException e) {
                finish(this, e);
                return false;
            }
        }

        /** Collects the last confirmations without waiting: true when they complete the body. */
        boolean deliveredAtClose() {
            if (!started) {
                return false;
            }
            try {
                region.sendMore();
                return region.isDone();
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        /** Takes the descriptor out of the event loop's epoll set before the transfer closes it. */
        void stopWatching() {
            if (registration != null) {
                registration.cancel();
            }
        }

        @Override
        public FileDescriptor fd() {
            return completions;
        }

        @Override
        public void handle(IoRegistration ready, IoEvent event) {
            if (active == this) {
                advance();
            }
        }

        /** Netty closes the handles of an event loop that shuts down: the body cannot go on. */
        @Override
        public void close() {
            if (active == this) {
                abandon(new ClosedChannelException());
            }
        }
    }
}
