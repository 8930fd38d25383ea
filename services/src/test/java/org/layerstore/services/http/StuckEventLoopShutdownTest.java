// SPDX-License-Identifier: Apache-2.0
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

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A thread stuck in a task that never returns (a bug, such as the HTTPS truncation spin once was)
 * does not keep the server from stopping: close(), which SIGTERM and systemctl stop run, gives up on that
 * loop after its grace and wait times and returns.
 */
class StuckEventLoopShutdownTest {

    @TempDir
    Path dir;

    /** An application that, for {@code /_wedge}, spins on the thread that serves it until released. */
    private static final class Wedge implements Application {
        static final CountDownLatch STUCK = new CountDownLatch(1);
        static volatile boolean released;

        @Override
        public String segment() {
            return "_wedge";
        }

        @Override
        public void serve(Exchange ex, RequestPath path) {
            STUCK.countDown();
            while (!released) {
                Thread.onSpinWait();
            }
            ex.status(HttpResponseStatus.NO_CONTENT);
        }
    }

    @Test
    void closeReturnsWhileAnEventLoopIsStuck() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        HttpFileServer server = HttpFileServer.start(TestServers.loopback(), AuthSettings.defaults(),
                List.of(new ShareSettings("files", share, true).withAnonymous("read")), new HttpStats(), List.of(new Wedge()));
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.getOutputStream().write("GET /_wedge HTTP/1.1\r\nHost: nas\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(Wedge.STUCK.await(20, TimeUnit.SECONDS), "the event loop is stuck");
            // The 2 s grace for transfers, 2 s for the connections to close, at most 5 s for each of three
            // groups of threads: about 19 s, and a margin for a busy machine.
            assertTimeoutPreemptively(Duration.ofSeconds(45), server::close, "close() returned");
        } finally {
            Wedge.released = true;
        }
    }
}
