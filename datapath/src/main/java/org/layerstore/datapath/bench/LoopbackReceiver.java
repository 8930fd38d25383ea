// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.bench;

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
 * A real TCP peer on loopback that drains one connection: the receiving end for {@code bench} and for the
 * engine tests. It optionally hashes what it receives (SHA-256) so a test can prove a transfer
 * byte-exact, and can call back as bytes arrive (to truncate a file mid-transfer, for instance).
 */
public final class LoopbackReceiver implements AutoCloseable {

    /** What arrived on the connection before the peer closed it. */
    public record Received(long bytes, String sha256) {
    }

    private static final int BUFFER_BYTES = 1024 * 1024;

    private final ServerSocketChannel server;
    private final CompletableFuture<Received> result = new CompletableFuture<>();
    private final boolean hash;
    private final LongConsumer progress;

    private LoopbackReceiver(boolean hash, LongConsumer progress) throws IOException {
        this.hash = hash;
        this.progress = progress;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** A receiver that hashes what it receives. */
    public static LoopbackReceiver hashing() throws IOException {
        return new LoopbackReceiver(true, bytes -> { });
    }

    /** A receiver that only counts (benchmarks: the sender's cost is measured, not SHA-256's). */
    public static LoopbackReceiver counting() throws IOException {
        return new LoopbackReceiver(false, bytes -> { });
    }

    /** A hashing receiver that reports the running byte count after every read. */
    public static LoopbackReceiver hashing(LongConsumer progress) throws IOException {
        return new LoopbackReceiver(true, progress);
    }

    /** Connects a blocking client socket to this receiver and starts draining it on its own thread. */
    public SocketChannel connect() throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        SocketChannel accepted = server.accept();
        Thread.ofPlatform().daemon().name("loopback-receiver").start(() -> drain(accepted));
        return client;
    }

    private void drain(SocketChannel peer) {
        try (peer) {
            MessageDigest digest = hash ? MessageDigest.getInstance("SHA-256") : null;
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            long total = 0;
            int n;
            while ((n = peer.read(buffer.clear())) >= 0) {
                total += n;
                if (digest != null) {
                    digest.update(buffer.flip());
                }
                progress.accept(total);
            }
            result.complete(new Received(total, digest == null ? "" : HexFormat.of().formatHex(digest.digest())));
        } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    /** Waits until the sender closed its end, then tells what arrived. */
    public Received await(Duration timeout) throws IOException {
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
