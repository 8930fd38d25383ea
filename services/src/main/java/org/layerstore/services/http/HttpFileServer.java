package org.layerstore.services.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;

/**
 * The HTTP file-sharing listener on Netty's epoll transport. Epoll is required, not preferred: the
 * file bodies go out with sendfile(2), which the NIO transport would not use.
 */
public final class HttpFileServer implements AutoCloseable {

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final Channel serverChannel;

    private HttpFileServer(EventLoopGroup bossGroup, EventLoopGroup workerGroup, Channel serverChannel) {
        this.bossGroup = bossGroup;
        this.workerGroup = workerGroup;
        this.serverChannel = serverChannel;
    }

    /** Opens the shares and starts listening; returns once the port is bound. */
    public static HttpFileServer start(HttpSettings settings, List<ShareSettings> shareSettings) throws IOException {
        return start(settings, shareSettings, new HttpStats(), List.of());
    }

    /**
     * As {@link #start(HttpSettings, List)}, counting into {@code stats}, with {@code routes}: handlers placed
     * in each connection's pipeline ahead of the file handler, each answering the requests it owns (such as
     * {@code /_dashboard/}) and passing the others on.
     */
    public static HttpFileServer start(HttpSettings settings, List<ShareSettings> shareSettings, HttpStats stats,
            List<Supplier<? extends ChannelHandler>> routes) throws IOException {
        if (!Epoll.isAvailable()) {
            throw new IOException("Netty's epoll transport is unavailable: " + Epoll.unavailabilityCause(),
                    Epoll.unavailabilityCause());
        }
        Map<String, Share> shares = new LinkedHashMap<>();
        for (ShareSettings s : shareSettings) {
            shares.put(s.name(), Share.open(s));
        }
        Map<String, Share> frozen = Map.copyOf(shares);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory());
        try {
            ServerBootstrap bootstrap = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(EpollServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), new HttpServerKeepAliveHandler(),
                                    new HttpStatsHandler(stats));
                            routes.forEach(route -> ch.pipeline().addLast(route.get()));
                            ch.pipeline().addLast(new FileRequestHandler(frozen));
                        }
                    });
            Channel channel = bootstrap.bind(new InetSocketAddress(settings.bind(), settings.port())).sync().channel();
            return new HttpFileServer(boss, workers, channel);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdown(boss, workers);
            throw new IOException("interrupted while binding " + settings.bind() + ":" + settings.port(), e);
        } catch (RuntimeException e) {
            shutdown(boss, workers);
            throw new IOException("cannot listen on " + settings.bind() + ":" + settings.port() + ": " + e.getMessage(), e);
        }
    }

    /** The bound address; its port is the real one when port 0 was asked for. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting, lets in-flight responses finish for up to 10 s, then releases the threads. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        shutdown(bossGroup, workerGroup);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(100, 10_000, TimeUnit.MILLISECONDS).syncUninterruptibly();
        boss.terminationFuture().syncUninterruptibly();
    }
}
