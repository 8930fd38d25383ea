// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.concurrent.TimeUnit;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackConfig;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.link.PacketSocketLink;
import org.layerstore.netstack.netty.NetStackIoHandler;
import org.layerstore.netstack.netty.NetStackServerChannel;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.time.Clock;
import org.layerstore.netstack.wire.MacAddress;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.datapath.portal.FrameManagers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The offload port: the user-space TCP/IP stack ({@link NetStack}) on a link of its own, run by one Netty
 * event loop ({@link NetStackIoHandler}), listening at the HTTP port with the server's own pipeline, so
 * every share, user, limit and WebDAV method is the kernel listener's.
 *
 * <p>The link ({@link OffloadLink}) is an FMan port of the live frame manager wired to a Linux interface
 * without an IPv4 address when the frame manager is usable (file bodies by physical address), else an
 * AF_PACKET socket on that interface ({@link PacketSocketLink}; CAP_NET_RAW either way). An interface that is
 * missing, has an IPv4 address (the kernel would answer ARP and TCP on it beside the stack), or cannot be
 * opened is refused at start, saying why.
 */
public final class OffloadPort implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OffloadPort.class);

    private final OffloadSettings settings;
    private final OffloadLink link;
    private final NetStack stack;
    private final EventLoopGroup loop;
    private final Channel server;

    private OffloadPort(OffloadSettings settings, OffloadLink link, NetStack stack, EventLoopGroup loop,
            Channel server) {
        this.settings = settings;
        this.link = link;
        this.stack = stack;
        this.loop = loop;
        this.server = server;
    }

    static OffloadPort start(OffloadSettings settings, ChannelHandler pipeline, int port,
            FrameManagers frameManagers, OffloadLink.Checks checks, TcpConfig tcp) throws IOException {
        checkInterface(settings.link());
        OffloadLink link = OffloadLink.open(settings, frameManagers, checks);
        EventLoopGroup loop = null;
        try {
            MacAddress wanted = settings.macAddress();
            MacAddress own = link.link().macAddress();
            if (wanted != null && !wanted.equals(own)) {
                throw new IOException("offload.mac " + wanted + " is not " + settings.link() + "'s MAC " + own
                        + ": the link receives through AF_PACKET, where the kernel delivers only frames to the "
                        + "interface's MAC; set it with ip link set " + settings.link() + " address " + wanted
                        + ", or leave offload.mac out");
            }
            StackConfig config = StackConfig.of(settings.ipv4Address(), settings.prefixLength())
                    .withGateway(settings.gatewayAddress()).withTcp(tcp);
            NetStack stack = new NetStack(link.link(), config, Clock.system(), new SecureRandom());
            loop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("layerstore-offload", true),
                    NetStackIoHandler.newFactory(stack));
            Channel server = new ServerBootstrap().group(loop).channel(NetStackServerChannel.class).childHandler(pipeline)
                    .bind(new InetSocketAddress(port)).sync().channel();
            LOG.info("offload port: user-space TCP/IP on {} ({}), {}:{}, wire: {}", settings.link(), own,
                    settings.ipv4Address(), port, link.why());
            return new OffloadPort(settings, link, stack, loop, server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(loop, link);
            throw new IOException("interrupted while starting the offload port on " + settings.link(), e);
        } catch (IOException | RuntimeException e) {
            stop(loop, link);
            throw e;
        }
    }

    /** A missing interface, or one with an IPv4 address of its own, is refused. */
    private static void checkInterface(String name) throws IOException {
        if (!Files.isDirectory(Path.of("/sys/class/net", name))) {
            throw new IOException("offload.link " + name + ": no such network interface (see ip link show)");
        }
        NetworkInterface nic;
        try {
            nic = NetworkInterface.getByName(name);
        } catch (SocketException e) {
            throw new IOException("offload.link " + name + ": cannot read its addresses: " + e.getMessage(), e);
        }
        if (nic == null) {
            return; // Java lists only interfaces with an address: this one has none, as it should
        }
        for (InetAddress address : Collections.list(nic.getInetAddresses())) {
            if (address instanceof Inet4Address) {
                throw new IOException("offload.link " + name + " has the IPv4 address " + address.getHostAddress()
                        + " of its own: the kernel would answer ARP and TCP on it beside the user-space stack; give the "
                        + "stack an interface without one (ip addr flush dev " + name + ")");
            }
        }
    }

    public OffloadSettings settings() {
        return settings;
    }

    /** The stack's address and the HTTP port. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /** The stack's counters (readable from any thread). */
    public StackCounters counters() {
        return stack.counters();
    }

    /** {@link OffloadSettings#WIRE_FRAME_MANAGER} or {@link OffloadSettings#WIRE_PACKET_SOCKET}: the link in use. */
    public String wire() {
        return link.wire();
    }

    /** The link's payload counters: DMA'd, CPU-copied and pinned bytes (readable from any thread). */
    public LinkCounters linkCounters() {
        return link.counters();
    }

    /** No new connections; those open carry on until {@link #close}. */
    void stopListening() {
        server.close().syncUninterruptibly();
    }

    @Override
    public void close() {
        stopListening();
        stop(loop, link);
    }

    private static void stop(EventLoopGroup loop, OffloadLink link) {
        if (loop != null && !loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS)) {
            LOG.error("the offload port's event loop did not stop within 5 s; closing its link anyway");
        }
        link.close();
    }
}
