// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;
import org.layerstore.hal.fm.FrameManagerBackends;

/**
 * The transmit and receive engines of one appliance, by name, plus {@code auto}. Services look engines
 * up here by their configured name and read every engine's statistics from here.
 */
public final class TransmitEngines implements AutoCloseable {

    private final Map<String, TransmitEngine> engines = new LinkedHashMap<>();
    private final Map<String, ReceiveEngine> receivers = new LinkedHashMap<>();
    private final AutoEngine auto;
    private final DatapathLimits limits;
    /** The portals these engines opened for themselves (closed with them), or null when the caller's. */
    private final FrameManagers ownPortals;

    private TransmitEngines(DatapathLimits limits, FrameManagers ownPortals, List<TransmitEngine> transmit,
            List<ReceiveEngine> receive) {
        this.limits = limits;
        this.ownPortals = ownPortals;
        transmit.forEach(e -> engines.put(e.name(), e));
        receive.forEach(e -> receivers.put(e.name(), e));
        this.auto = new AutoEngine(transmit);
    }

    /**
     * Every engine this build has for {@code board}, outside an appliance: the offload engine opens its portal on
     * the {@code auto} backend with the board's frame-manager configuration, and closing the engines closes it.
     */
    public static TransmitEngines standard(BoardDatapath board) {
        FrameManagers portals = FrameManagers.choose(FrameManagerBackends.AUTO, board.frameManager());
        return create(board.limits(), portals, portals, OffloadSettings.defaults());
    }

    /** Every engine this build has for {@code board}; the offload engine opens its portal through {@code portals}. */
    public static TransmitEngines standard(BoardDatapath board, FrameManagers portals) {
        return standard(board, portals, OffloadSettings.defaults());
    }

    /** As {@link #standard(BoardDatapath, FrameManagers)}, the offload engine with {@code offload}. */
    public static TransmitEngines standard(BoardDatapath board, FrameManagers portals, OffloadSettings offload) {
        return create(board.limits(), portals, null, offload);
    }

    private static TransmitEngines create(DatapathLimits limits, FrameManagers portals, FrameManagers own,
            OffloadSettings offload) {
        return new TransmitEngines(limits, own,
                List.of(new CopyEngine(), new MmapEngine(), new SendfileEngine(), new SpliceEngine(), new ZerocopyEngine(),
                        new OffloadEngine(limits, portals, offload)),
                List.of(new SpliceReceiveEngine(), new CopyReceiveEngine()));
    }

    public DatapathLimits limits() {
        return limits;
    }

    /** Tells {@code listener} of every frame an engine of these sees confirmed with a DMA error. */
    public void onDmaError(DmaErrorListener listener) {
        for (TransmitEngine engine : engines.values()) {
            if (engine instanceof OffloadEngine offload) {
                offload.onDmaError(listener);
            }
        }
    }

    /** The concrete engines, in the order {@code bench} shows them (auto excluded). */
    public List<TransmitEngine> all() {
        return List.copyOf(engines.values());
    }

    /** The engine called {@code name} ({@code auto} included). */
    public Optional<TransmitEngine> byName(String name) {
        return AutoEngine.NAME.equals(name) ? Optional.of(auto) : Optional.ofNullable(engines.get(name));
    }

    /** The engine called {@code name}, or an error listing the names there are. */
    public TransmitEngine engine(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no transmit engine named '" + name
                + "'; there are " + names()));
    }

    public AutoEngine auto() {
        return auto;
    }

    /** The receive engines, best first. */
    public List<ReceiveEngine> receivers() {
        return List.copyOf(receivers.values());
    }

    /** The best available receive engine. */
    public ReceiveEngine bestReceiver() {
        return receivers.values().stream().filter(r -> r.availability().available()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no receive engine is available"));
    }

    public List<String> names() {
        List<String> names = new ArrayList<>(engines.keySet());
        names.add(AutoEngine.NAME);
        return names;
    }

    /** Releases what engines hold for the process (the offload engine's frame-manager portal). */
    @Override
    public void close() {
        for (TransmitEngine engine : engines.values()) {
            if (engine instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing engine " + engine.name() + " failed: " + e.getMessage(), e);
                }
            }
        }
        if (ownPortals != null) {
            ownPortals.close();
        }
    }

    /** Every engine's counters, auto's included. */
    public List<EngineStatisticsSnapshot> statistics() {
        List<EngineStatisticsSnapshot> all = new ArrayList<>();
        engines.values().forEach(e -> all.add(e.statistics().snapshot()));
        all.add(auto.statistics().snapshot());
        receivers.values().forEach(r -> all.add(r.statistics().snapshot()));
        return all;
    }
}
