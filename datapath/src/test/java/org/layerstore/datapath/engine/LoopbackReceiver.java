// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * A real TCP peer on loopback that drains one connection: the receiving end of the engine tests. It
 * hashes what it receives (SHA-256) so a test can prove a transfer byte-exact, and can call back as
 * bytes arrive (to truncate a file mid-transfer, for instance).
 */
final class LoopbackReceiver implements AutoCloseable {

    /** What arrived on the connection before the peer closed it. */
    record Received(long bytes, String sha256) {
    }

    private static final int BUFFER_BYTES = 1024 * 1024;

    private final ServerSocketChannel server;
    private final CompletableFuture<Received> result = new CompletableFuture<>();
    private final LongConsumer progress;

    private LoopbackReceiver(LongConsumer progress) throws IOException {
        this.progress = progress;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A receiver that hashes what it receives. */
    static LoopbackReceiver hashing() throws IOException {
        return new LoopbackReceiver(bytes -> { });
    }

    /** A hashing receiver that reports the running byte count after every read. */
    static LoopbackReceiver hashing(LongConsumer progress) throws IOException {
        return new LoopbackReceiver(progress);
    }

    /** Connects a blocking client socket to this receiver and starts draining it on its own thread. */
    SocketChannel connect() throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        Thread.ofPlatform().daemon().name("loopback-receiver").start(() -> drain(accepted));
        return client;
    }

    private void drain(SocketChannel peer) {
        try (peer) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            long total = 0;
            int n;
            while ((n = peer.read(buffer.clear())) >= 0) {
                total += n;
                digest.update(buffer.flip());
                progress.accept(total);
            }
            result.complete(new Received(total, HexFormat.of().formatHex(digest.digest())));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Waits until the sender closed its end, then tells what arrived. */
    Received await(Duration timeout) throws IOException {
        try {
            return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("loopback receiver got no end of stream within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException("loopback receiver failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the loopback receiver", e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
