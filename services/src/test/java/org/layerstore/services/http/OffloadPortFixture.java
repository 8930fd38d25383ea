// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.netstack.StackCounters;
import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.netstack.link.FrameManagerLink;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/**
 * One test class's offload port: a veth pair and client namespace, the emulated frame manager, the file
 * server with the share {@code files}, and the port on the AF_PACKET or the frame-manager link; closing it
 * checks that the port closed its portal. Skips, saying why, without root or the tools, and on the
 * frame-manager link without the emulated frame manager.
 */
final class OffloadPortFixture implements AutoCloseable {

    final OffloadDemoNetwork network;
    final HttpFileServer server;
    final OffloadPort port;
    final String base;
    final FrameManagers frameManagers;

    private OffloadPortFixture(OffloadDemoNetwork network, FrameManagers frameManagers, HttpFileServer server,
            OffloadPort port) {
        this.network = network;
        this.frameManagers = frameManagers;
        this.server = server;
        this.port = port;
        this.base = "http://" + OffloadDemoNetwork.STACK_ADDRESS + ":" + port.localAddress().getPort() + "/files/";
    }

    /** The port on {@code wire} for the files in {@code root}, with the default limits and TCP. */
    static OffloadPortFixture start(String prefix, String wire, Path dir, Path root) throws IOException {
        return start(prefix, wire, dir, root, 512, TcpConfig.defaults());
    }

    /** The frame-manager link's port, with {@code perClient} connections from the client allowed and {@code tcp}. */
    static OffloadPortFixture start(String prefix, Path dir, Path root, int perClient, TcpConfig tcp)
            throws IOException {
        return start(prefix, OffloadSettings.WIRE_FRAME_MANAGER, dir, root, perClient, tcp);
    }

    private static OffloadPortFixture start(String prefix, String wire, Path dir, Path root, int perClient,
            TcpConfig tcp) throws IOException {
        OffloadDemoNetwork network = TestOffloadNetworks.create(prefix);
        FrameManagers frameManagers = null;
        HttpFileServer server = null;
        try {
            if (OffloadSettings.WIRE_FRAME_MANAGER.equals(wire)) {
                BackendAvailability emulated = EmulatedFrameManager.availability();
                assumeTrue(emulated.available(), emulated.reason());
            }
            server = OffloadTestClients.startServer(dir, root, perClient);
            frameManagers = TestFrameManagers.emulated();
            OffloadPort port = server.serveOffload(new OffloadSettings(network.stackInterface(),
                    OffloadDemoNetwork.STACK_ADDRESS + "/24").withWire(wire), frameManagers, tcp);
            return new OffloadPortFixture(network, frameManagers, server, port);
        } catch (IOException | RuntimeException | Error e) {
            if (server != null) {
                server.close();
            }
            if (frameManagers != null) {
                frameManagers.close();
            }
            network.close();
            throw e;
        }
    }

    StackCounters counters() {
        return port.counters();
    }

    LinkCounters link() {
        return port.linkCounters();
    }

    /** The link's TX waits and the port's RX discards, for a test's measured numbers. */
    String linkReport() {
        StringBuilder out = new StringBuilder();
        if (link() instanceof FrameManagerLink fm) {
            out.append(String.format("link: %d TX errors, %d RX errors, %d waits for a TX buffer, %d for the ring, %d "
                    + "frames refused", fm.txErrors(), fm.rxErrors(), fm.txBufferWaits(), fm.ringFullWaits(),
                    fm.txBufferShortages()));
        }
        for (FrameCounters c : frameManagers.counters()) {
            out.append(String.format("; port: %d RX frames, %d discarded for want of a buffer, %d for a full RX queue",
                    c.rxFrames(), c.rxNoBuffer(), c.rxQueueFull()));
        }
        return out.toString();
    }

    /** curl in the client's namespace, signed in as the test user. */
    Curl curl(Path dir) {
        return OffloadTestClients.curl(network, dir);
    }

    /** Waits for the stack and the link to hold no byte; asserts they do not. */
    void awaitNothingPinned() throws InterruptedException {
        OffloadTestClients.awaitNothingPinned(counters(), link());
    }

    /** Connections in {@code state} once they settle (up to 15 s). */
    long awaitConnections(TcpState state, long expected) throws InterruptedException {
        return awaitConnections(state, expected, 15);
    }

    /** Connections in {@code state} once they settle (up to {@code seconds}). */
    long awaitConnections(TcpState state, long expected, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (counters().connections(state) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return counters().connections(state);
    }

    @Override
    public void close() {
        server.close();
        assertEquals(0, frameManagers.openCount(), "closing the offload port closed its portal");
        frameManagers.close();
        network.close();
    }
}
