// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.BackendAvailability;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.hal.fm.FrameCounters;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.FrameManagerLink;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/**
 * One test class's offload port, as a JUnit extension ({@code @RegisterExtension static final}): before the
 * class's tests a veth pair and client namespace, a folder with the share {@code files} that the class fills,
 * the emulated frame manager, the file server and the port on the AF_PACKET or the frame-manager link; after
 * them all of it closed again, checking that the port closed its portal. Skips, saying why, without root or
 * the tools, and on the frame-manager link without the emulated frame manager.
 */
final class OffloadPortFixture implements BeforeAllCallback, AfterAllCallback {

    /** The test class's files, written into the share's folder before the port starts. */
    @FunctionalInterface
    interface ShareFiles {
        void write(Path root) throws IOException;
    }

    /** What the port is started with: its names' prefix, its wire, the connections per client, TCP, the files. */
    private record Settings(String prefix, String wire, int perClient, TcpConfig tcp, ShareFiles files) {
    }

    private final Settings settings;
    private Path dir;
    private Path root;
    private OffloadDemoNetwork network;
    private FrameManagers frameManagers;
    private HttpFileServer server;
    private OffloadPort port;
    private Curl curl;

    private OffloadPortFixture(Settings settings) {
        this.settings = settings;
    }

    /**
     * The port on {@code wire} ({@link OffloadSettings#WIRE_PACKET_SOCKET} or {@code WIRE_FRAME_MANAGER}), its
     * network's names beginning with {@code prefix}, its share holding what {@code files} writes.
     */
    static OffloadPortFixture on(String wire, String prefix, ShareFiles files) {
        return new OffloadPortFixture(new Settings(prefix, wire, 512, TcpConfig.defaults(), files));
    }

    /** The same port with {@code connections} from the one client address allowed. */
    OffloadPortFixture withPerClient(int connections) {
        return new OffloadPortFixture(new Settings(settings.prefix, settings.wire, connections, settings.tcp,
                settings.files));
    }

    /** The same port with the stack's TCP on {@code config}'s limits and timers. */
    OffloadPortFixture withTcp(TcpConfig config) {
        return new OffloadPortFixture(new Settings(settings.prefix, settings.wire, settings.perClient, config,
                settings.files));
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        network = TestOffloadNetworks.create(settings.prefix);
        if (OffloadSettings.WIRE_FRAME_MANAGER.equals(settings.wire)) {
            BackendAvailability emulated = EmulatedFrameManager.availability();
            assumeTrue(emulated.available(), emulated.reason());
        }
        dir = Files.createTempDirectory("layerstore-" + settings.prefix);
        root = Files.createDirectories(dir.resolve("share"));
        settings.files.write(root);
        server = OffloadTestClients.startServer(dir, root, settings.perClient);
        frameManagers = TestFrameManagers.emulated();
        port = server.serveOffload(new OffloadSettings(network.stackInterface(), OffloadDemoNetwork.STACK_ADDRESS + "/24")
                .withWire(settings.wire), frameManagers, settings.tcp);
        curl = OffloadTestClients.curl(network, dir);
    }

    /** Closes what {@link #beforeAll} opened, also when it stopped half-way; then checks the portal was closed. */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (server != null) {
            server.close();
        }
        int openPortals = frameManagers == null ? 0 : frameManagers.openCount();
        if (frameManagers != null) {
            frameManagers.close();
        }
        if (network != null) {
            network.close();
        }
        if (dir != null) {
            delete(dir);
        }
        assertEquals(0, openPortals, "closing the offload port closed its portal");
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A folder of the class's own beside the share (uploads' sources, tools' work), removed after the class. */
    Path dir() {
        return dir;
    }

    /** The share's folder. */
    Path root() {
        return root;
    }

    OffloadDemoNetwork network() {
        return network;
    }

    FrameManagers frameManagers() {
        return frameManagers;
    }

    OffloadPort port() {
        return port;
    }

    /** The share's URL on the offload port, ending in a slash. */
    String base() {
        return "http://" + OffloadDemoNetwork.STACK_ADDRESS + ":" + port.localAddress().getPort() + "/files/";
    }

    /** curl in the client's namespace, signed in as the test user. */
    Curl curl() {
        return curl;
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
                    + "frames refused, %d unsent, %d enqueue calls, %d receives that spent their budget (now %d frames)",
                    fm.txErrors(), fm.rxErrors(), fm.txBufferWaits(), fm.ringFullWaits(), fm.txBufferShortages(),
                    fm.unsentFrames(), fm.txBursts(), fm.receiveBudgetsSpent(), fm.receiveBudget()));
        }
        for (FrameCounters c : frameManagers.counters()) {
            out.append(String.format("; port: %d RX frames, %d discarded for want of a buffer, %d for a full RX queue",
                    c.rxFrames(), c.rxNoBuffer(), c.rxQueueFull()));
        }
        return out.toString();
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
}
