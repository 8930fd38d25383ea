// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackConfig;
import org.layerstore.netstack.link.Commands;
import org.layerstore.netstack.link.PacketSocketLink;
import org.layerstore.netstack.link.VethPair;
import org.layerstore.netstack.tcp.TcpInfo;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.netstack.time.Clock;
import org.layerstore.netstack.wire.Ipv4Address;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;

/**
 * The Netty transport against the kernel's TCP in a namespace (python3's sockets as the client): half-close,
 * backpressure through the stack's send buffer, and a peer's RST. Each test binds its own handler on
 * the one stack. Skips, saying why, without root, ip, ethtool or python3.
 */
class NetStackChannelTest {

    private static final int PORT = 7000;
    /** The end of a python3 client: FIN, then print what the server answers until its FIN. */
    private static final String FIN_THEN_PRINT_ANSWER = """
            s.shutdown(socket.SHUT_WR)
            answer = b''
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                answer += chunk
            print(answer.decode(), flush=True)
            """;

    private static VethPair veth;
    private static PacketSocketLink link;
    private static NetStack stack;
    private static EventLoopGroup loop;
    private Channel server;

    @BeforeAll
    static void start() {
        VethPair.assumeUsable("python3");
        veth = VethPair.create("lsnt");
        link = PacketSocketLink.open(veth.stackEnd);
        stack = new NetStack(link, StackConfig.of(Ipv4Address.parse(VethPair.STACK_ADDRESS), 24), Clock.system(),
                new SecureRandom());
        loop = new MultiThreadIoEventLoopGroup(1, NetStackIoHandler.newFactory(stack));
    }

    @AfterAll
    static void stop() {
        if (loop != null) {
            loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        }
        if (link != null) {
            link.close();
        }
        if (veth != null) {
            veth.close();
        }
    }

    @AfterEach
    void unbind() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
    }

    private void serve(ChannelHandler handler, boolean halfClosure) throws InterruptedException {
        server = new ServerBootstrap().group(loop).channel(NetStackServerChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, halfClosure).childHandler(handler)
                .bind(PORT).sync().channel();
    }

    /** At the peer's FIN (half-closure allowed): sends {@code answer}, then closes. */
    private static void answerAtInputEnd(ChannelHandlerContext ctx, Object event, String answer) {
        if (event instanceof ChannelInputShutdownEvent) {
            ctx.writeAndFlush(ctx.alloc().directBuffer().writeBytes(answer.getBytes())).addListener(f -> ctx.close());
        }
    }

    /** Runs a python3 client in the peer's namespace; its standard output. */
    private static String client(String script) {
        return Commands.run(60, veth.peerCommand("python3", "-c", script)).strip();
    }

    @Test
    void aHalfClosedPeerStillGetsTheAnswerThenFin() throws Exception {
        serve(new ChannelInboundHandlerAdapter() {
            private long received;

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received += ((ByteBuf) msg).readableBytes();
                ((ByteBuf) msg).release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                answerAtInputEnd(ctx, event, "got " + received);
            }
        }, true);
        String answer = client(("""
                import socket
                s = socket.create_connection(('%s', %d), timeout=30)
                s.sendall(b'x' * 300000)
                """ + FIN_THEN_PRINT_ANSWER).formatted(VethPair.STACK_ADDRESS, PORT));
        assertEquals("got 300000", answer, "the bytes arrived, the answer went out after the peer's FIN, then FIN");
    }

    @Test
    void aSlowReaderMakesTheChannelUnwritableAndGetsEveryByte() throws Exception {
        long total = 24L << 20;
        AtomicInteger unwritable = new AtomicInteger();
        serve(new ChannelInboundHandlerAdapter() {
            private long sent;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                writeWhileWritable(ctx);
            }

            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                if (ctx.channel().isWritable()) {
                    writeWhileWritable(ctx);
                } else {
                    unwritable.incrementAndGet();
                }
            }

            private void writeWhileWritable(ChannelHandlerContext ctx) {
                while (ctx.channel().isWritable() && sent < total) {
                    ByteBuf chunk = ctx.alloc().directBuffer(64 * 1024);
                    for (int i = 0; i < 64 * 1024; i++) {
                        chunk.writeByte((int) ((sent + i) % 251));
                    }
                    sent += chunk.readableBytes();
                    if (sent == total) {
                        // Close once the last write is with the stack: closing now would fail what Netty still holds.
                        ctx.writeAndFlush(chunk).addListener(f -> ctx.close());
                        return;
                    }
                    ctx.write(chunk);
                }
                ctx.flush();
            }
        }, false);
        String answer = client("""
                import socket, time
                s = socket.create_connection(('%s', %d), timeout=30)
                time.sleep(1)
                n, bad = 0, 0
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    bad += sum(1 for i, b in enumerate(chunk[::4093]) if b != (n + i * 4093) %% 251)
                    n += len(chunk)
                print(n, bad)
                """.formatted(VethPair.STACK_ADDRESS, PORT));
        assertEquals(total + " 0", answer, "every byte, in order");
        assertTrue(unwritable.get() > 0, "the stack's send-buffer limit made the channel unwritable");
        assertEquals(0, stack.counters().pinnedBytes(), "every piece released once acknowledged");
    }

    @Test
    void aStalledReaderClosesTheWindowAndThePeerWaitsInsteadOfLosingBytes() throws Exception {
        long total = 24L << 20;
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        serve(new ChannelInboundHandlerAdapter() {
            private long received;
            private long bad;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.channel().config().setAutoRead(false); // the reader stalls until the test lets it go
                accepted.complete(ctx.channel());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf bytes = (ByteBuf) msg;
                for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i += 4093) {
                    bad += bytes.getByte(i) == (byte) ((received + i - bytes.readerIndex()) % 251) ? 0 : 1;
                }
                received += bytes.readableBytes();
                bytes.release();
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
                answerAtInputEnd(ctx, event, received + " " + bad);
            }
        }, true);
        Process peer = new ProcessBuilder(veth.peerCommand("python3", "-c", ("""
                import socket, sys
                s = socket.create_connection(('%s', %d), timeout=30)
                total = %d
                data = bytes((i %% 251) for i in range(251 * 300))
                sent = 0
                s.settimeout(3)
                try:
                    while sent < total:
                        n = s.send(data[sent %% 251:][:min(65536, total - sent)])
                        sent += n
                except socket.timeout:
                    pass
                print('stalled', sent, flush=True)
                sys.stdin.readline()
                s.settimeout(60)
                while sent < total:
                    sent += s.send(data[sent %% 251:][:min(65536, total - sent)])
                """ + FIN_THEN_PRINT_ANSWER).formatted(VethPair.STACK_ADDRESS, PORT, total))).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
        String stalled = lines.readLine();
        assertTrue(stalled != null && stalled.startsWith("stalled "), "the peer's sends stopped: " + stalled);
        assertTrue(Long.parseLong(stalled.substring(8)) < total, "the peer could not send it all: " + stalled);
        Channel channel = accepted.get(10, TimeUnit.SECONDS);
        TcpInfo held = channel.eventLoop().submit(() -> ((NetStackChannel) channel).connection().info()).get();
        int window = stack.config().tcp().receiveWindow();
        assertEquals(TcpState.ESTABLISHED, held.state(), "the connection lives on while its reader stalls");
        assertTrue(held.unreadBytes() > window / 2 && held.unreadBytes() <= window + 8,
                "the window's worth is queued unread, no more: " + held);
        assertTrue(held.receiveWindow() < held.mss(), "the window the peer was offered is (nearly) closed: " + held);

        channel.config().setAutoRead(true);
        peer.getOutputStream().write('\n');
        peer.getOutputStream().flush();
        String answer = lines.readLine();
        assertTrue(peer.waitFor(60, TimeUnit.SECONDS), "the peer finished");
        assertEquals(total + " 0", answer, "every byte arrived, in order, once the reader went on");
    }

    @Test
    void aPeersResetReachesThePipelineAsAnExceptionThenClose() throws Exception {
        CompletableFuture<Throwable> caught = new CompletableFuture<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        serve(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.channel().closeFuture().addListener(f -> closed.complete(null));
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                caught.complete(cause);
            }
        }, false);
        client("""
                import socket, struct, time
                s = socket.create_connection(('%s', %d), timeout=30)
                s.sendall(b'hello')
                time.sleep(0.5)
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
                s.close()
                """.formatted(VethPair.STACK_ADDRESS, PORT));
        assertInstanceOf(SocketException.class, caught.get(10, TimeUnit.SECONDS));
        closed.get(10, TimeUnit.SECONDS);
    }
}
