// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.DatapathLimits;
import org.layerstore.datapath.stats.EngineStatisticsSnapshot;

/**
 * The transmit and receive engines of one appliance, by name, plus {@code auto}. Services look engines
 * up here by their configured name and read every engine's statistics from here.
 */
public final class TransmitEngines {

    private final Map<String, TransmitEngine> engines = new LinkedHashMap<>();
    private final Map<String, ReceiveEngine> receivers = new LinkedHashMap<>();
    private final AutoEngine auto;
    private final DatapathLimits limits;

    private TransmitEngines(DatapathLimits limits, List<TransmitEngine> transmit, List<ReceiveEngine> receive) {
        this.limits = limits;
        transmit.forEach(e -> engines.put(e.name(), e));
        receive.forEach(e -> receivers.put(e.name(), e));
        this.auto = new AutoEngine(transmit);
    }

    /**
     * Every engine this build has for {@code board}: the five that hand a file to the kernel's socket. The frame
     * manager's path is the offload port (module netstack), not an engine.
     */
    public static TransmitEngines standard(BoardDatapath board) {
        return of(board.limits(),
                List.of(new CopyEngine(), new MmapEngine(), new SendfileEngine(), new SpliceEngine(), new ZerocopyEngine()),
                List.of(new SpliceReceiveEngine(), new CopyReceiveEngine()));
    }

    /** These engines, by their names, plus {@code auto} over {@code transmit} (a host that has fewer, a test). */
    public static TransmitEngines of(DatapathLimits limits, List<TransmitEngine> transmit, List<ReceiveEngine> receive) {
        return new TransmitEngines(limits, transmit, receive);
    }

    public DatapathLimits limits() {
        return limits;
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

    /** Every engine's counters, auto's included. */
    public List<EngineStatisticsSnapshot> statistics() {
        List<EngineStatisticsSnapshot> all = new ArrayList<>();
        engines.values().forEach(e -> all.add(e.statistics().snapshot()));
        all.add(auto.statistics().snapshot());
        receivers.values().forEach(r -> all.add(r.statistics().snapshot()));
        return all;
    }
}
