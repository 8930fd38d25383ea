// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.netstack.link.DmaErrorListener;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.auth.BasicAuthenticator;
import org.layerstore.services.http.auth.SignInThrottle;
import org.layerstore.services.http.auth.UserDirectory;
import org.layerstore.services.http.webdav.LockManager;
import org.layerstore.services.telemetry.TelemetryEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The HTTP/WebDAV file-sharing listener on Netty's epoll transport. Epoll is required, not preferred:
 * file bodies go out with sendfile(2), which the NIO transport would not use.
 *
 * <p>Pipeline per connection: [TLS, or the offload body driver] - request timeout - HTTP codec (bounded
 * request line and headers) - idle timeout - [chunked writer, under TLS] - statistics -
 * dispatcher (shares and applications such as the dashboard). A connection upgraded to another protocol
 * keeps the transport, the idle timeout and the statistics ({@link ProtocolHandover}). The same pipeline
 * ({@link HttpPipeline}) serves the offload port, the user-space TCP/IP stack's listener at the same port
 * ({@link #serveOffload}), where file bodies go as references to mapped pages instead of through an engine.
 */
public final class HttpFileServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HttpFileServer.class);
    /** How long shutdown waits for transfers in flight before cutting them. */
    static final long SHUTDOWN_GRACE_MILLIS = 2_000;
    /** How long shutdown waits for each group of threads to stop once asked to. */
    static final long STOP_WAIT_SECONDS = 5;
    /** Threads for the request work that may block (uploads, WebDAV, folder pages, bcrypt); see RequestDispatcher. */
    static final int FILE_IO_THREADS = 16;
    /** Body bytes per HttpContent the decoder hands on. */
    static final int MAX_CHUNK_BYTES = 64 * 1024;

    private final EventLoopGroup eventLoops;
    private final EventExecutorGroup fileIo;
    /** One listening socket per event loop, all on the same port (SO_REUSEPORT). */
    private final List<Channel> listeners;
    private final ChannelGroup connections;
    private final ServerState state;
    private final List<EngineFallback> engineFallbacks;
    private final Collection<Share> shares;
    private final BasicAuthenticator authenticator;
    private final HttpPipeline pipeline;
    private final List<OffloadPort> offloadPorts = new CopyOnWriteArrayList<>();

    private HttpFileServer(EventLoopGroup eventLoops, EventExecutorGroup fileIo, List<Channel> listeners,
            ChannelGroup connections, ServerState state, List<EngineFallback> engineFallbacks,
            Collection<Share> shares, BasicAuthenticator authenticator, HttpPipeline pipeline) {
        this.pipeline = pipeline;
        this.shares = shares;
        this.authenticator = authenticator;
        this.engineFallbacks = engineFallbacks;
        this.eventLoops = eventLoops;
        this.fileIo = fileIo;
        this.listeners = listeners;
        this.connections = connections;
        this.state = state;
    }

    /** Shares without users: anonymous access only, as each share allows. */
    public static HttpFileServer start(HttpSettings settings, List<ShareSettings> shareSettings) throws IOException {
        return start(settings, AuthSettings.defaults(), shareSettings);
    }

    /** Opens the shares and the users file, and starts listening; returns once the port is bound. */
    public static HttpFileServer start(HttpSettings settings, AuthSettings auth, List<ShareSettings> shareSettings)
            throws IOException {
        return start(settings, auth, shareSettings, new HttpStats(), List.of());
    }

    /**
     * As {@link #start(HttpSettings, AuthSettings, List)}, counting into {@code stats}, with {@code applications}
     * served beside the shares (such as the dashboard under {@code /_dashboard/}), behind the same users.
     */
    public static HttpFileServer start(HttpSettings settings, AuthSettings auth, List<ShareSettings> shareSettings,
            HttpStats stats, List<Application> applications) throws IOException {
        return start(settings, auth, shareSettings, stats, applications,
                TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb")));
    }

    /**
     * As {@link #start(HttpSettings, AuthSettings, List, HttpStats, List)}, sending file bodies through
     * {@code engines}.
     */
    public static HttpFileServer start(HttpSettings settings, AuthSettings auth, List<ShareSettings> shareSettings,
            HttpStats stats, List<Application> applications, TransmitEngines engines)
            throws IOException {
        return start(settings, auth, shareSettings, stats, applications, engines, new LockManager(), TelemetryEvents.NONE);
    }

    /**
     * As {@link #start(HttpSettings, AuthSettings, List, HttpStats, List, TransmitEngines)}, with the WebDAV
     * lock table {@code locks} (persistent in the appliance) and telling {@code events} of uploads and deletions.
     */
    public static HttpFileServer start(HttpSettings settings, AuthSettings auth, List<ShareSettings> shareSettings,
            HttpStats stats, List<Application> applications, TransmitEngines engines,
            LockManager locks, TelemetryEvents events) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause(),
                    Epoll.unavailabilityCause());
        }
        Map<String, Share> shares = new LinkedHashMap<>();
        try {
            for (ShareSettings s : shareSettings) {
                shares.put(s.name(), Share.open(s));
            }
            return start(settings, auth, shareSettings, shares, stats, applications, engines, locks, events);
        } catch (IOException | RuntimeException e) {
            shares.values().forEach(Share::close);
            throw e;
        }
    }

    private static HttpFileServer start(HttpSettings settings, AuthSettings auth, List<ShareSettings> shareSettings,
            Map<String, Share> shares, HttpStats stats, List<Application> applications,
            TransmitEngines engines, LockManager locks, TelemetryEvents events)
            throws IOException {
        UserDirectory users;
        try {
            users = auth.usersFile() == null ? UserDirectory.empty() : UserDirectory.load(auth.usersFile());
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("auth.usersFile " + auth.usersFile() + " does not exist; create it with: layerstore passwd "
                    + auth.usersFile() + " USER", e);
        }
        SslContext ssl = settings.tls() == null ? null : TlsContexts.server(settings.tls());
        LimitSettings limits = settings.limits();
        FileBodyWriter bodies = new FileBodyWriter(ssl != null, engines, shares.values());
        UploadEngines uploads = new UploadEngines(engines, ssl != null, shareSettings);
        BasicAuthenticator authenticator = new BasicAuthenticator(users, auth.realm(), auth.allowBasicOverPlainHttp(),
                SignInThrottle.monotonic());
        Routes routes = new Routes(shares, applications, authenticator, limits, ssl != null, bodies, uploads, locks,
                events);
        ServerState state = new ServerState();
        ChannelGroup connections = new DefaultChannelGroup("layerstore-http", GlobalEventExecutor.INSTANCE);
        // One event loop per core, as nginx runs one worker per core: Netty's default of two per core only
        // adds context switches when every request is answered without blocking.
        EventLoopGroup loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(),
                EpollIoHandler.newFactory());
        EventExecutorGroup fileIo = new DefaultEventExecutorGroup(FILE_IO_THREADS,
                new DefaultThreadFactory("layerstore-file-io", true));
        HttpPipeline pipeline = new HttpPipeline(ssl, limits, connections, fileIo, stats, routes, state);
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .option(EpollChannelOption.SO_REUSEPORT, true)
                    // No childOption(TCP_NODELAY): Netty's epoll channels set it already as they are made, and
                    // a second setsockopt per connection is a tenth of the connection's system calls.
                    .childHandler(pipeline);
            List<Channel> listeners = listen(bootstrap, loops, new InetSocketAddress(settings.bind(), settings.port()));
            List<EngineFallback> fallbacks = new ArrayList<>(bodies.fallbacks());
            fallbacks.addAll(uploads.fallbacks());
            return new HttpFileServer(loops, fileIo, listeners, connections, state, List.copyOf(fallbacks),
                    shares.values(), authenticator, pipeline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(loops, fileIo);
            throw new IOException("interrupted while binding " + settings.bind() + ":" + settings.port(), e);
        } catch (IOException e) {
            shutdown(loops, fileIo);
            throw e;
        } catch (RuntimeException e) {
            shutdown(loops, fileIo);
            throw new IOException("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /**
     * One listening socket per event loop on {@code address}, each accepting on its own loop and serving
     * what it accepted there, as nginx's workers do with {@code reuseport}: the kernel spreads new
     * connections over the sockets, and no connection is handed from an acceptor thread to another loop
     * (a task queued and a wakeup for every connection). The first bind picks the port when 0 was asked
     * for; the others join it. SO_REUSEPORT would also let this server join a port another process of the
     * same user already listens on with it (a second appliance on the same port would silently take half
     * the connections), so a named port is first bound once without it: taken is then "address in use".
     */
    private static List<Channel> listen(ServerBootstrap bootstrap, EventLoopGroup loops, InetSocketAddress address)
            throws InterruptedException, IOException {
        if (address.getPort() != 0) {
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true); // a port whose old connections linger in TIME_WAIT is free
                probe.bind(address);
            } catch (BindException e) {
                throw new IOException("cannot listen on " + address + ": " + e.getMessage() + " (is another server on it?)", e);
            }
        }
        List<Channel> listeners = new ArrayList<>();
        InetSocketAddress bound = address;
        try {
            for (EventExecutor executor : loops) {
                EventLoop loop = (EventLoop) executor;
                Channel listener = bootstrap.clone().group(loop, loop).bind(bound).sync().channel();
                listeners.add(listener);
                bound = (InetSocketAddress) listener.localAddress();
            }
        } catch (InterruptedException | RuntimeException e) {
            listeners.forEach(l -> l.close().awaitUninterruptibly());
            throw e;
        }
        return List.copyOf(listeners);
    }

    /**
     * Serves the same shares, through the same pipeline, on the offload port: the user-space TCP/IP stack on
     * {@code settings}' link, at this server's HTTP port. Closed with this server.
     *
     * @throws IOException when the link cannot be used (missing, has an address, no CAP_NET_RAW), with why
     */
    public OffloadPort serveOffload(OffloadSettings settings, FrameManagers frameManagers) throws IOException {
        return serveOffload(settings, frameManagers, false, TelemetryEvents.NONE);
    }

    /** As {@link #serveOffload(OffloadSettings, FrameManagers)}, the stack's TCP with {@code tcp}'s limits and timers. */
    public OffloadPort serveOffload(OffloadSettings settings, FrameManagers frameManagers, TcpConfig tcp)
            throws IOException {
        return serveOffload(settings, frameManagers, new OffloadLink.Checks(false, DmaErrorListener.NONE), tcp);
    }

    /**
     * As {@link #serveOffload(OffloadSettings, FrameManagers)}; on a frame-manager link {@code verifyPins} turns the
     * debug check of pinning on ({@code frameManager.verifyPinning}) and {@code events} hears of every frame the
     * hardware could not read ({@code dma_error}).
     */
    public OffloadPort serveOffload(OffloadSettings settings, FrameManagers frameManagers, boolean verifyPins,
            TelemetryEvents events) throws IOException {
        return serveOffload(settings, frameManagers,
                new OffloadLink.Checks(verifyPins, detail -> events.dmaError(settings.link(), detail)), TcpConfig.defaults());
    }

    private OffloadPort serveOffload(OffloadSettings settings, FrameManagers frameManagers, OffloadLink.Checks checks,
            TcpConfig tcp) throws IOException {
        OffloadPort port = OffloadPort.start(settings, pipeline, localAddress().getPort(), frameManagers, checks, tcp);
        offloadPorts.add(port);
        return port;
    }

    /** The offload ports this server serves on. */
    public List<OffloadPort> offloadPorts() {
        return List.copyOf(offloadPorts);
    }

    /** The shares whose configured transmit engine does not apply here, and what serves them instead. */
    public List<EngineFallback> engineFallbacks() {
        return engineFallbacks;
    }

    /** Tells {@code listener} of every failed sign-in from now on (the telemetry's auth_failure event). */
    public void onSignInFailure(BasicAuthenticator.FailureListener listener) {
        authenticator.onFailure(listener);
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) listeners.getFirst().localAddress();
    }

    /**
     * Graceful stop: no new connections, new requests answered 503, idle connections closed at once,
     * transfers in flight given up to {@value #SHUTDOWN_GRACE_MILLIS} ms to finish, then cut.
     */
    @Override
    public void close() {
        // Each listener closes on its own event loop: one stuck in a handler must not hold the stop (the
        // grace and the bounded group shutdown below still apply to it).
        listeners.forEach(l -> l.close().awaitUninterruptibly(2, TimeUnit.SECONDS));
        offloadPorts.forEach(OffloadPort::stopListening);
        state.startDraining();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_GRACE_MILLIS);
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            for (Channel ch : connections) {
                if (!inFlight(ch)) {
                    ch.close();
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!connections.isEmpty()) {
            LOG.warn("cutting {} transfers still in flight after {} ms", connections.size(), SHUTDOWN_GRACE_MILLIS);
        }
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        offloadPorts.forEach(OffloadPort::close);
        shutdown(eventLoops, fileIo);
        AccessLog.flush(); // the lines of the last responses, which the log's thread may not have written yet
        shares.forEach(Share::close);
    }

    /** The shares it serves. */
    Collection<Share> shares() {
        return shares;
    }

    private static boolean inFlight(Channel ch) {
        RequestDispatcher dispatcher = ch.pipeline().get(RequestDispatcher.class);
        ChannelOutboundBuffer out = ch.unsafe().outboundBuffer();
        return dispatcher != null && dispatcher.busy() || out != null && !out.isEmpty();
    }

    private static void shutdown(EventLoopGroup loops, EventExecutorGroup fileIo) {
        awaitStop(loops.shutdownGracefully(0, 2, TimeUnit.SECONDS), "event loops"); // closes the connections
        awaitStop(fileIo.shutdownGracefully(0, 2, TimeUnit.SECONDS), "file-I/O threads"); // then their handlers' threads
    }

    /**
     * Waits at most {@value #STOP_WAIT_SECONDS} s for threads to stop: one stuck in a task that never
     * returns (a bug) must not keep close(), and with it SIGTERM and systemctl stop, from finishing.
     */
    private static void awaitStop(Future<?> terminated, String threads) {
        if (!terminated.awaitUninterruptibly(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
            LOG.error("the {} did not stop within {} s (a thread is stuck in a task); stopping without them", threads,
                    STOP_WAIT_SECONDS);
        }
    }
}
