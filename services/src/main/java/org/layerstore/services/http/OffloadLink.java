// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.mapping.PinStability;
import org.layerstore.datapath.mapping.Sysctl;
import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.netstack.link.DmaErrorListener;
import org.layerstore.netstack.link.FrameManagerLink;
import org.layerstore.netstack.link.Link;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.link.PacketSocketLink;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.datapath.portal.FrameManagers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offload port's link, on the wire {@code offload.wire} asks for: a {@link FrameManagerLink} on an FMan
 * port of the live frame-manager backend (file bodies by bus address, pinned until ACKed), or a
 * {@link PacketSocketLink} (AF_PACKET, the kernel copies each frame). Without a setting the frame manager is
 * taken when it is usable: a backend opens, and in physical mode pagemap gives page frame numbers
 * (CAP_SYS_ADMIN); otherwise AF_PACKET, logged once with the reason.
 *
 * @param wire      {@link OffloadSettings#WIRE_FRAME_MANAGER} or {@link OffloadSettings#WIRE_PACKET_SOCKET}
 * @param link      the stack's link
 * @param counters  the link's payload counters
 * @param why       one sentence for the start-up log
 * @param resources what closing gives back: the link, and the portal and pagemap reader of a frame-manager link
 */
record OffloadLink(String wire, Link link, LinkCounters counters, String why, AutoCloseable resources)
        implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OffloadLink.class);
    /** TX buffers (and as many RX): enough for a 4 MiB send buffer of 1460-byte segments in flight at once. */
    private static final int BUFFERS = 1024;
    /**
     * Ring depths of an emulated portal: the emulator drains the TX ring from its own thread, so a deeper
     * ring than silicon's EQCR (8) and DQRR (16) keeps a burst of segments from waiting on it.
     */
    private static final int EMULATED_RING_DEPTH = 512;
    private static final int EMULATED_DEQUEUE_DEPTH = 1024;

    /**
     * What a frame-manager link checks and reports (the AF_PACKET link has no DMA to check).
     *
     * @param verifyPins debug mode ({@code frameManager.verifyPinning}): pinned pages' frames re-read before each frame
     * @param dmaErrors  told of frames the hardware could not read, and of moved pinned pages
     */
    record Checks(boolean verifyPins, DmaErrorListener dmaErrors) {
    }

    static OffloadLink open(OffloadSettings settings, FrameManagers frameManagers, Checks checks) throws IOException {
        if (OffloadSettings.WIRE_PACKET_SOCKET.equals(settings.wire())) {
            return packetSocket(settings.link(), "offload.wire " + OffloadSettings.WIRE_PACKET_SOCKET
                    + " in the configuration");
        }
        Optional<String> unusable = frameManagerUnusable(frameManagers, Sysctl.system());
        if (unusable.isEmpty()) {
            return frameManager(settings, frameManagers, checks);
        }
        if (OffloadSettings.WIRE_FRAME_MANAGER.equals(settings.wire())) {
            throw new IOException("offload.wire " + OffloadSettings.WIRE_FRAME_MANAGER + ": " + unusable.get()
                    + " (leave offload.wire out to fall back to " + OffloadSettings.WIRE_PACKET_SOCKET + ")");
        }
        LOG.warn("offload port on {}: the frame manager is not usable ({}): falling back to AF_PACKET, where the kernel "
                + "copies every frame", settings.link(), unusable.get());
        return packetSocket(settings.link(), "frame manager not usable: " + unusable.get());
    }

    /**
     * Why the frame-manager link cannot be used here, or empty. With physical addresses, real hardware also needs
     * pinned pages that stay in place (vm.compact_unevictable_allowed 0); the emulated FMan reads by virtual
     * address, so a moved page cannot hurt it.
     */
    static Optional<String> frameManagerUnusable(FrameManagers frameManagers, Sysctl sysctl) throws IOException {
        if (!frameManagers.backend().available()) {
            return Optional.of("no frame-manager backend: " + frameManagers.backend().reason());
        }
        if (frameManagers.boardConfig().smmu()) {
            return Optional.empty();
        }
        if (!FrameManagerBackends.EMULATED.equals(frameManagers.backend().backend())) {
            Optional<String> moving = PinStability.unstableReason(sysctl);
            if (moving.isPresent()) {
                return Optional.of("pinned pages may move on this kernel: " + moving.get());
            }
        }
        try (PagemapReader pagemap = PagemapReader.self(PageSize.system())) {
            return pagemap.frameNumbersUnusableReason()
                    .map(why -> "the board's FMan sees physical addresses and " + why);
        }
    }

    private static OffloadLink frameManager(OffloadSettings settings, FrameManagers frameManagers, Checks checks)
            throws IOException {
        FrameManagerConfig board = frameManagers.boardConfig();
        int port = settings.fmanPort() != null ? settings.fmanPort() : board.ports().getFirst();
        boolean emulated = FrameManagerBackends.EMULATED.equals(frameManagers.backend().backend());
        FrameManagerConfig config = new FrameManagerConfig(board.maxFrameSize(),
                emulated ? EMULATED_RING_DEPTH : board.ringDepth(), emulated ? EMULATED_DEQUEUE_DEPTH : board.dequeueDepth(),
                board.a050385(), board.smmu(), List.of(port));
        PagemapReader pagemap = PagemapReader.self(PageSize.system());
        FrameManagers.Portal portal = null;
        try {
            portal = frameManagers.open(config);
            FrameManagerLink link = FrameManagerLink.open(portal.frameManager(), port, settings.link(), pagemap, BUFFERS,
                    checks.verifyPins(), checks.dmaErrors());
            FrameManagers.Portal opened = portal;
            String why = "FMan port " + port + " of the " + frameManagers.backend().backend() + " frame manager, file "
                    + "bodies by " + (board.smmu() ? "SMMU-translated bus address" : "physical address (pagemap)");
            return new OffloadLink(OffloadSettings.WIRE_FRAME_MANAGER, link, link, why, () -> {
                try (pagemap; opened) {
                    link.close();
                }
            });
        } catch (NativeCallException e) {
            release(portal, pagemap);
            throw refusal(settings.link(), e);
        } catch (UncheckedIOException e) {
            release(portal, pagemap);
            throw new IOException("offload.link " + settings.link() + ": " + e.getMessage(), e.getCause());
        } catch (IOException | RuntimeException e) {
            release(portal, pagemap);
            throw e;
        }
    }

    private static void release(FrameManagers.Portal portal, PagemapReader pagemap) throws IOException {
        if (portal != null) {
            portal.close();
        }
        pagemap.close();
    }

    private static OffloadLink packetSocket(String name, String why) throws IOException {
        try {
            PacketSocketLink link = PacketSocketLink.open(name);
            return new OffloadLink(OffloadSettings.WIRE_PACKET_SOCKET, link, link, "AF_PACKET (" + why + ")", link);
        } catch (NativeCallException e) {
            throw refusal(name, e);
        } catch (UncheckedIOException e) {
            throw new IOException("offload.link " + name + ": " + e.getMessage(), e.getCause());
        }
    }

    /** Both wires open an AF_PACKET socket on the interface (the emulated FMan port's wire, or the link itself). */
    private static IOException refusal(String name, NativeCallException e) {
        if (e.errno().code() == Errno.EPERM) {
            return new IOException("offload.link " + name + ": an AF_PACKET socket needs CAP_NET_RAW (run as root, or "
                    + "grant the capability: AmbientCapabilities=CAP_NET_RAW in the systemd unit)", e);
        }
        return new IOException("offload.link " + name + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        try {
            resources.close();
        } catch (Exception e) {
            LOG.error("closing the offload port's {} link: {}", wire, e.toString());
        }
    }
}
