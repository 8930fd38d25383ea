// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import org.layerstore.datapath.OpenFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.stats.EngineStatistics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auto}: per request, the first engine of a fixed preference order that is available here and
 * suits the request size, with the reason logged (debug per request; info when the choice changes).
 *
 * <p>The order, best first: {@code sendfile} (no CPU copy, one syscall, any size), {@code splice} (no CPU
 * copy, two syscalls per chunk), {@code zerocopy} for requests of at least {@value #ZEROCOPY_MIN_BYTES}
 * bytes (below that, pinning and completion handling cost more than the copy they save, as the kernel's
 * MSG_ZEROCOPY documentation notes), {@code mmap} for requests of at least {@value #MMAP_MIN_BYTES}
 * bytes (for less, mmap+munmap cost more than the copy saved), and {@code copy}, which always works.
 */
public final class AutoEngine implements TransmitEngine {

    public static final String NAME = "auto";
    static final long ZEROCOPY_MIN_BYTES = 1024 * 1024;
    static final long MMAP_MIN_BYTES = 256 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(AutoEngine.class);

    private record Rule(String engine, BiPredicate<TransmitEngine, Long> suits, String sizeRule) {
    }

    private static final List<Rule> PREFERENCE = List.of(
            new Rule("sendfile", (engine, length) -> true, "no CPU copy, one syscall per call"),
            new Rule("splice", (engine, length) -> true, "no CPU copy, file -> pipe -> socket"),
            new Rule("zerocopy", (engine, length) -> length >= ZEROCOPY_MIN_BYTES, "no CPU copy for requests of 1 MiB or more"),
            new Rule("mmap", (engine, length) -> length >= MMAP_MIN_BYTES, "one CPU copy, worth its mapping from 256 KiB"),
            new Rule("copy", (engine, length) -> true, "works everywhere"));

    private final List<TransmitEngine> engines;
    private final EngineStatistics statistics = new EngineStatistics(NAME);
    private volatile String lastChoice = "";
    /**
     * The engine per size class: every size rule is a threshold ({@value #MMAP_MIN_BYTES},
     * {@value #ZEROCOPY_MIN_BYTES} bytes) and availability is fixed, so the
     * number of thresholds a length reaches decides the choice; computed once per class, not per request.
     */
    private final TransmitEngine[] pickBySizeClass = new TransmitEngine[3];

    AutoEngine(List<TransmitEngine> engines) {
        this.engines = List.copyOf(engines);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Availability availability() {
        return Availability.available("picks among " + engines.stream().map(TransmitEngine::name).toList());
    }

    /** The engine for a request of {@code length} bytes, and why it and not the better ones. */
    /** The engine {@link #choose} names for {@code length}, without composing the reason: the per-request call. */
    public TransmitEngine pick(long length) {
        int sizeClass = (length >= MMAP_MIN_BYTES ? 1 : 0) + (length >= ZEROCOPY_MIN_BYTES ? 1 : 0);
        TransmitEngine known = pickBySizeClass[sizeClass];
        if (known == null) {
            known = choose(length).engine();
            pickBySizeClass[sizeClass] = known; // a race computes the same engine twice: harmless
        }
        return known;
    }

    public EngineChoice choose(long length) {
        List<String> passedOver = new ArrayList<>();
        for (Rule rule : PREFERENCE) {
            Optional<TransmitEngine> engine = engines.stream().filter(e -> e.name().equals(rule.engine())).findFirst();
            if (engine.isEmpty()) {
                passedOver.add(rule.engine() + " not in this build");
                continue;
            }
            Availability availability = engine.get().availability();
            if (!availability.available()) {
                passedOver.add(rule.engine() + " unavailable (" + availability.reason() + ")");
            } else if (!rule.suits().test(engine.get(), length)) {
                passedOver.add(rule.engine() + " not for " + length + " bytes (" + rule.sizeRule() + ")");
            } else {
                String reason = rule.engine() + " for " + length + " bytes: " + rule.sizeRule()
                        + (passedOver.isEmpty() ? "" : "; passed over: " + String.join("; ", passedOver));
                return new EngineChoice(engine.get(), reason);
            }
        }
        throw new IllegalStateException("no transmit engine suits " + length + " bytes: " + String.join("; ", passedOver));
    }

    /** Opens the transfer on the best engine for the range. */
    @Override
    public Transfer open(OpenFile file, FileRange range) throws IOException {
        statistics.transferStarted();
        EngineChoice choice = choose(range.length());
        if (!choice.engine().name().equals(lastChoice)) {
            lastChoice = choice.engine().name();
            LOG.info("auto engine now uses {}", choice.reason());
        } else {
            LOG.debug("auto engine uses {}", choice.reason());
        }
        return choice.engine().open(file, range);
    }

    /** Counts the requests auto dispatched; the bytes are counted by the engine it chose. */
    @Override
    public EngineStatistics statistics() {
        return statistics;
    }
}
