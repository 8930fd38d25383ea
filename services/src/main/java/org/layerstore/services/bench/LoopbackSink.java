// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * The receiving end of {@code bench}: a real TCP peer on loopback whose thread reads every connection
 * to its end and counts the bytes, nothing more, so the sender's cost is what the benchmark measures.
 */
final class LoopbackSink implements AutoCloseable {

    /** One connection to the sink: the sender's socket and the thread that drains the far end. */
    static final class Connection implements AutoCloseable {
        private final SocketChannel socket;
        private final Thread drainer;
        private long received;
        private IOException failure;

        private Connection(SocketChannel socket, SocketChannel peer) {
            this.socket = socket;
            this.drainer = Thread.ofPlatform().daemon().name("bench-loopback-sink").start(() -> drain(peer));
        }

        SocketChannel socket() {
            return socket;
        }

        /** Ends the sender's side, then waits for the drainer to read the end of stream: the bytes it read. */
        long finish(Duration timeout) throws IOException {
            socket.shutdownOutput();
            try {
                if (!drainer.join(timeout)) {
                    throw new IOException("loopback sink got no end of stream within " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the loopback sink", e);
            }
            // Thread.join orders the drainer's writes before these reads.
            if (failure != null) {
                throw failure;
            }
            return received;
        }

        private void drain(SocketChannel peer) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
            try (peer) {
                for (int n = peer.read(buffer); n >= 0; n = peer.read(buffer.clear())) {
                    received += n;
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final int BUFFER_BYTES = 1024 * 1024;

    private final ServerSocketChannel server;

    LoopbackSink() throws IOException {
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** Connects a blocking client socket to the sink, whose thread starts draining it. */
    Connection connect() throws IOException {
        SocketChannel client = SocketChannel.open(server.getLocalAddress());
        return new Connection(client, server.accept());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
