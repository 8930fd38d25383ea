// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.layerstore.datapath.pagemap.PagemapReader;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.libc.Libc;

/**
 * FMan port {@link #FMAN_PORT} of an emulated frame manager wired to a veth end, with the calling thread's own portal
 * and a pagemap reader: what a test of {@link FrameManagerLink}'s TX side opens its link on.
 */
final class EmulatedPort implements AutoCloseable {

    static final int FMAN_PORT = 1;

    final VethPair veth;
    final FrameManager portal;
    final PagemapReader pagemap;
    private final FrameManagers portals;
    private final Arena arena = Arena.ofConfined();

    private EmulatedPort(FrameManagers portals, String vethPrefix) throws IOException {
        this.portals = portals;
        this.veth = VethPair.create(vethPrefix);
        this.portal = portals.open().frameManager();
        this.pagemap = PagemapReader.self((int) Libc.pageSize());
    }

    /**
     * Opens the port with {@code config} (SMMU addressing, port {@link #FMAN_PORT}) on a new veth pair named from
     * {@code vethPrefix}; skips the test, saying why, when no veth pair can be made here or the backend is missing.
     */
    static EmulatedPort open(FrameManagerConfig config, String vethPrefix) throws IOException {
        VethPair.assumeUsable();
        FrameManagers portals = FrameManagers.choose(FrameManagerBackends.EMULATED, config.withSmmu(true));
        assumeTrue(portals.backend().available(), portals.backend()::reason);
        return new EmulatedPort(portals, vethPrefix);
    }

    /**
     * A {@code bytes}-byte broadcast frame of a local experimental EtherType (IEEE 802 0x88B5), which the peer's kernel
     * drops: a frame to send that nothing answers.
     */
    MemorySegment localFrame(int bytes) {
        MemorySegment frame = arena.allocate(bytes);
        for (int i = 0; i < 6; i++) {
            frame.set(ValueLayout.JAVA_BYTE, i, (byte) 0xFF);
        }
        frame.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x88);
        frame.set(ValueLayout.JAVA_BYTE, 13, (byte) 0xB5);
        return frame;
    }

    @Override
    public void close() throws Exception {
        InOrder.close(portals, pagemap, arena, veth);
    }
}
