package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;

/**
 * An event loop stuck in a task that never returns (a bug, such as the HTTPS truncation spin once was)
 * does not keep the server from stopping: close(), which SIGTERM and systemctl stop run, gives up on that
 * loop after its grace and wait times and returns.
 */
class StuckEventLoopShutdownTest {

    @TempDir
    Path dir;

    /** A front route that, for {@code /_wedge}, spins on its event loop until released. */
    private static final class Wedge extends ChannelInboundHandlerAdapter {
        static final CountDownLatch STUCK = new CountDownLatch(1);
        static volatile boolean released;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && request.uri().equals("/_wedge")) {
                STUCK.countDown();
                while (!released) {
                    Thread.onSpinWait();
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    @Test
    void closeReturnsWhileAnEventLoopIsStuck() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Supplier<ChannelHandler> wedge = Wedge::new;
        HttpFileServer server = HttpFileServer.start(TestServers.loopback(), AuthSettings.defaults(),
                List.of(new ShareSettings("files", share, true).withAnonymous("read")), new HttpStats(), List.of(wedge));
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.getOutputStream().write("GET /_wedge HTTP/1.1\r\nHost: nas\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(Wedge.STUCK.await(20, TimeUnit.SECONDS), "the event loop is stuck");
            // The 10 s grace for transfers, 2 s for the connections to close, at most 5 s for each of three
            // groups of threads: about 27 s, and a margin for a busy machine.
            assertTimeoutPreemptively(Duration.ofSeconds(45), server::close, "close() returned");
        } finally {
            Wedge.released = true;
        }
    }
}
