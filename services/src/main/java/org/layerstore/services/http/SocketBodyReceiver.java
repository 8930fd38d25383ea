// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.EOFException;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.layerstore.datapath.engine.ReceiveEngine;
import org.layerstore.datapath.engine.SocketDescriptor;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.UnixChannel;
import io.netty.handler.codec.http.HttpExpectationFailedEvent;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;

/**
 * Takes the rest of a PUT body with a Content-Length straight from the connection's socket into the
 * upload's temporary file through a datapath receive engine ({@code splice}: socket -> pipe -> file, no
 * user-space copy), then hands the connection back to HTTP parsing for the next request.
 *
 * <p>The switch, in order:
 * <ol>
 * <li>On the event loop: a {@link ReadGate} goes to the head of the pipeline and auto-read goes off. Set on
 *     the event loop, that clears the socket's EPOLLIN at once, even with a read pending, so from here on
 *     Netty reads nothing more. Whatever it had read is decoded already and on its way to the dispatcher.</li>
 * <li>On the dispatcher's thread, after those pieces (written with copy): unless they held the whole body,
 *     a duplicate of the socket's descriptor (a descriptor number of our own, safe however Netty closes
 *     its own) is registered with the channel's event loop for edge-triggered EPOLLIN, and the receive
 *     engine moves the remaining bytes from it into the file at their offset. A readiness event only
 *     schedules a step on the dispatcher's thread; the event loop never touches the file and never
 *     blocks. A step moves at most {@value #STEP_BYTES} bytes, then yields to the thread's other
 *     connections.</li>
 * <li>When the last byte is in the file: the registration is cancelled and the duplicate closed (on the
 *     event loop), the HTTP decoder is told not to expect the body it never saw
 *     ({@link HttpExpectationFailedEvent}, which resets it between messages), a {@code LastHttpContent}
 *     goes to the dispatcher, which commits the upload and answers as for any body, and the gate leaves.</li>
 * </ol>
 *
 * <p>Failures: a peer that closes or resets mid-body closes the connection (the dispatcher then drops the
 * upload: no temporary is left, the old file stands). A failure of the file (a full disk) is handed to the
 * dispatcher with the {@code LastHttpContent}: {@link UploadReceiver#write} throws it, and the dispatcher
 * answers 507 (or 500) and closes. The connection's idle timeout counts the spliced bytes as reads. While
 * the socket is handed over, any bytes Netty still reads (only when the peer half-closes, which this server
 * treats as leaving) close the connection: their place in the body is unknown.
 */
final class SocketBodyReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(SocketBodyReceiver.class);
    /** Bytes one step on the dispatcher's thread moves at most before letting the thread's other work run. */
    static final long STEP_BYTES = 8L << 20;
    private static final EpollIoOps READABLE = EpollIoOps.EPOLLIN.with(EpollIoOps.EPOLLRDHUP).with(EpollIoOps.EPOLLET);
    /** Errors of the socket that mean the client has gone (the file's errors are answered instead). */
    private static final Set<Integer> PEER_GONE = Set.of(Errno.ECONNRESET, Errno.ETIMEDOUT, Errno.ENOTCONN, Errno.EPIPE);

    private enum State { STARTING, RECEIVING, ENDED }

    private final Exchange ex;
    private final Channel channel;
    private final EventExecutor dispatcherThread;
    private final UploadReceiver upload;
    private final ReceiveEngine engine;
    private final long declaredLength;
    private final ReadGate gate = new ReadGate();
    private final AtomicBoolean stepScheduled = new AtomicBoolean();

    // Touched on the dispatcher's thread only, except where noted.
    private State state = State.STARTING;
    private SocketDescriptor socket;
    /** The duplicate descriptor; closed on the event loop, after its registration is cancelled. */
    private volatile FileDescriptor duplicate;
    /** Set on the event loop. */
    private volatile IoRegistration registration;

    SocketBodyReceiver(Exchange ex, UploadReceiver upload, ReceiveEngine engine, long declaredLength) {
        this.ex = ex;
        this.channel = ex.ctx.channel();
        this.dispatcherThread = ex.worker;
        this.upload = upload;
        this.engine = engine;
        this.declaredLength = declaredLength;
    }

    /** Starts the switch; returns at once. Called on the dispatcher's thread right after the request's headers. */
    void start() {
        channel.eventLoop().execute(this::stopNettyReading);
    }

    /** Event loop. */
    private void stopNettyReading() {
        if (!channel.isActive()) {
            return; // closed meanwhile: the dispatcher's channelInactive drops the upload
        }
        channel.pipeline().addFirst(ReadGate.NAME, gate);
        if (!channel.config().isAutoRead()) {
            // Only the switch from on to off clears a read already asked for; the read this turns on is held.
            channel.config().setAutoRead(true);
        }
        channel.config().setAutoRead(false);
        channel.closeFuture().addListener(closed -> runOnDispatcherThread(this::connectionClosed));
        runOnDispatcherThread(this::begin);
    }

    /** Dispatcher's thread, after every piece Netty had read. */
    private void begin() {
        if (state != State.STARTING) {
            return;
        }
        if (upload.ended() || upload.received() >= declaredLength || !channel.isActive()) {
            // The pieces held the whole body (or the request is over): nothing left on the socket to take.
            state = State.ENDED;
            onEventLoop(() -> gate.handBack(null, false));
            return;
        }
        try {
            duplicate = new FileDescriptor(Libc.duplicate(((UnixChannel) channel).fd().intValue()));
            engine.statistics().syscalls(1);
            socket = SocketDescriptor.of(duplicate.intValue());
            upload.switchToSocket(engine, declaredLength);
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        ex.engine(engine.name());
        state = State.RECEIVING;
        ((IoEventLoop) channel.eventLoop()).register(new Readiness()).addListener(registered -> {
            if (!registered.isSuccess()) {
                runOnDispatcherThread(() -> failed(new IOException("cannot watch the socket of " + channel + ": "
                        + registered.cause(), registered.cause())));
                return;
            }
            registration = (IoRegistration) registered.getNow();
            registration.submit(READABLE);
            scheduleStep(); // bytes that arrived before the registration raise no edge
        });
    }

    private void scheduleStep() {
        if (stepScheduled.compareAndSet(false, true)) {
            runOnDispatcherThread(this::step);
        }
    }

    /** Dispatcher's thread: moves what the socket has now, up to {@link #STEP_BYTES}. */
    private void step() {
        // Cleared before reading: bytes arriving from here on raise an edge that schedules another step.
        stepScheduled.set(false);
        if (state != State.RECEIVING) {
            return;
        }
        long moved = 0;
        try {
            while (moved < STEP_BYTES && !upload.socketBodyComplete()) {
                long n = upload.receiveFrom(socket);
                if (n == 0) {
                    break;
                }
                moved += n;
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
            return;
        }
        if (moved > 0) {
            onEventLoop(this::countAsRead);
        }
        if (upload.socketBodyComplete()) {
            state = State.ENDED;
            releaseSocket(() -> gate.handBack(LastHttpContent.EMPTY_LAST_CONTENT, true));
        } else if (moved >= STEP_BYTES) {
            scheduleStep();
        }
    }

    /** Event loop: the idle timeout sees the spliced bytes as reads. */
    private void countAsRead() {
        IdleStateHandler idle = channel.pipeline().get(IdleStateHandler.class);
        if (idle != null) {
            idle.resetReadTimeout();
        }
    }

    /** Dispatcher's thread. */
    private void failed(Throwable e) {
        state = State.ENDED;
        if (!channel.isActive() || isPeerGone(e)) {
            LOG.debug("upload {} from {} ended by the peer: {}", PathRefusedException.quote(ex.request.uri()),
                    channel.remoteAddress(), e.toString());
            releaseSocket(channel::close); // the dispatcher's channelInactive drops the upload
            return;
        }
        upload.fail(e instanceof IOException io ? io : new IOException(e.toString(), e));
        releaseSocket(() -> gate.handBack(LastHttpContent.EMPTY_LAST_CONTENT, false));
    }

    private static boolean isPeerGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException || t instanceof NativeCallException n && PEER_GONE.contains(n.errno().code())) {
                return true;
            }
        }
        return false;
    }

    /** Dispatcher's thread: the connection closed (the dispatcher drops the upload on channelInactive). */
    private void connectionClosed() {
        if (state == State.RECEIVING) {
            state = State.ENDED;
            releaseSocket(() -> { });
        } else if (state == State.STARTING) {
            state = State.ENDED;
        }
    }

    /**
     * Stops watching the socket and closes the duplicate, then runs {@code then}, all on the event loop: the
     * registration is removed from epoll while the duplicate is still open, and no step uses the duplicate
     * any more (the state is ENDED before this is called).
     */
    private void releaseSocket(Runnable then) {
        Runnable release = () -> {
            IoRegistration watched = registration;
            if (watched != null) {
                watched.cancel();
            }
            closeDuplicate();
            then.run();
        };
        try {
            channel.eventLoop().execute(release);
        } catch (RejectedExecutionException stopping) {
            closeDuplicate(); // the event loop is gone, and with it the epoll set
        }
    }

    private void closeDuplicate() {
        FileDescriptor fd = duplicate;
        if (fd != null && fd.isOpen()) {
            try {
                fd.close();
                engine.statistics().syscalls(1);
            } catch (IOException e) {
                LOG.warn("cannot close the duplicate descriptor {} of {}: {}", fd.intValue(), channel, e.toString());
            }
        }
    }

    private void runOnDispatcherThread(Runnable task) {
        try {
            dispatcherThread.execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("server stopping: upload step for {} not run", channel);
        }
    }

    private void onEventLoop(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException stopping) {
            LOG.debug("server stopping: event-loop task for {} not run", channel);
        }
    }

    /** Readiness of the duplicate descriptor, reported on the channel's event loop. */
    private final class Readiness implements EpollIoHandle {

        @Override
        public FileDescriptor fd() {
            return duplicate;
        }

        @Override
        public void handle(IoRegistration watched, IoEvent event) {
            scheduleStep();
        }

        @Override
        public void close() {
            // The descriptor is the receiver's: closed by releaseSocket once no step can use it.
        }
    }

    /**
     * Sits at the head of the pipeline while the socket is handed over: holds back the read requests the
     * dispatcher makes for the pieces Netty had read (replayed when it leaves), and closes the connection if
     * Netty reads anything meanwhile. Event loop only.
     */
    private final class ReadGate extends ChannelDuplexHandler {

        static final String NAME = "upload-socket-gate";

        private ChannelHandlerContext ctx;
        private boolean heldRead;

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            this.ctx = context;
        }

        @Override
        public void read(ChannelHandlerContext context) {
            heldRead = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object msg) {
            boolean bytes = msg instanceof ByteBuf buf && buf.isReadable();
            ReferenceCountUtil.release(msg);
            if (bytes) {
                LOG.info("closing {}: it sent bytes outside the upload body being spliced (half-closed mid-body)",
                        context.channel().remoteAddress());
                context.close();
            }
        }

        /**
         * Gives the connection back to Netty. With {@code end}, the request is still open: the decoder is reset
         * when {@code resetDecoder} (the body went past it), and {@code end} goes to the dispatcher, which
         * answers and turns auto-read back on. Without, the request is over: auto-read goes back on here. The
         * gate leaves, and a read it held back is replayed.
         */
        void handBack(LastHttpContent end, boolean resetDecoder) {
            if (ctx == null || ctx.isRemoved()) {
                return;
            }
            if (end != null && channel.isActive()) {
                if (resetDecoder) {
                    ctx.fireUserEventTriggered(HttpExpectationFailedEvent.INSTANCE);
                }
                ctx.fireChannelRead(end);
            }
            ctx.pipeline().remove(this);
            if (end == null) {
                channel.config().setAutoRead(true);
            }
            if (heldRead) {
                channel.read();
            }
        }
    }
}
