// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.portal.FrameManagers;
import org.layerstore.hal.dpaa.FrameDescriptor;
import org.layerstore.hal.fm.Confirmations;
import org.layerstore.hal.fm.DmaRegion;
import org.layerstore.hal.fm.FrameManager;
import org.layerstore.hal.fm.FrameManagerBackends;
import org.layerstore.hal.fm.FrameManagerConfig;
import org.layerstore.hal.fm.TxQueueOptions;
import org.layerstore.hal.fm.TxTarget;
import org.layerstore.hal.libc.FdPair;
import org.layerstore.hal.libc.Libc;

/**
 * Benchmark, not a gate: frames per second through emulated QMan portals, side by side in one run. Each sender
 * enqueues bursts of 8 small contiguous frames and dequeues their confirmations until all are confirmed (the
 * offload engine's loop without the descriptor building); the wire peer drops the frames (not TCP), so only the
 * portal, the emulated QMan and FMan's checks and DMA reads are measured. Four layouts: one portal on one thread;
 * the same with the TX queue in a congestion group (QMan's byte count per frame, as dpaa_eth's egress CGR); one
 * portal shared by two threads under a lock (what the offload engine does); a portal per thread on two threads
 * (what DPDK does per lcore, and the netstack's event loop), with its scaling against one portal. Best of 3;
 * prints and writes target/benchmarks/portal-throughput.txt.
 * {@code -Dlayerstore.bench.frames=N} sets the frames per sender (200,000).
 */
class PortalThroughputBenchmark {

    private static final int FRAMES = Integer.getInteger("layerstore.bench.frames", 200_000);
    private static final int ROUNDS = 3;
    private static final int BURST = 8;
    private static final int FRAME_BYTES = 60;

    record Result(String layout, long frames, long nanos) {
        double framesPerSecond() {
            return frames * 1e9 / nanos;
        }
    }

    @Test
    void framesPerSecondThroughOnePortalASharedPortalAndAPortalPerThread() throws Exception {
        FrameManagerConfig board = BoardDatapath.builtIn("ls1046ardb").frameManager().withSmmu(true);
        int first = board.ports().get(0);
        int second = board.ports().get(1);
        try (FrameManagers portals = FrameManagers.choose(FrameManagerBackends.EMULATED, board)) {
            assumeTrue(portals.backend().available(), portals.backend()::reason);
            List<Result> best = new ArrayList<>();
            best.add(best(() -> onePortal(portals, board, first, false)));
            best.add(best(() -> onePortal(portals, board, first, true)));
            best.add(best(() -> sharedPortal(portals, board, first, second)));
            best.add(best(() -> portalPerThread(portals, board, first, second)));
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                    "frames per second through emulated portals, %d frames per sender, best of %d, %d cores%n",
                    FRAMES, ROUNDS, Runtime.getRuntime().availableProcessors()));
            for (Result r : best) {
                report.append(String.format(Locale.ROOT, "%-40s %,12.0f frames/s  (%,d frames in %.3f s)%n", r.layout(),
                        r.framesPerSecond(), r.frames(), r.nanos() / 1e9));
            }
            report.append(String.format(Locale.ROOT, "scaling, a portal per thread on two threads against one portal: "
                    + "%.2fx%n", best.get(3).framesPerSecond() / best.get(0).framesPerSecond()));
            System.out.print(report);
            Path out = Files.createDirectories(Path.of("target/benchmarks")).resolve("portal-throughput.txt");
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
    }

    private static Result best(Callable<Result> run) throws Exception {
        Result best = null;
        for (int i = 0; i < ROUNDS; i++) {
            Result r = run.call();
            if (best == null || r.nanos() < best.nanos()) {
                best = r;
            }
        }
        return best;
    }

    private static Result onePortal(FrameManagers portals, FrameManagerConfig board, int port, boolean congestionGroup)
            throws Exception {
        try (FrameManagers.Portal portal = portals.open(withPorts(board, port));
             Sender sender = new Sender(portal.frameManager(), port, congestionGroup)) {
            long start = System.nanoTime();
            sender.send(FRAMES, new Object());
            return new Result(congestionGroup ? "one portal, one thread, congestion group" : "one portal, one thread",
                    FRAMES, System.nanoTime() - start);
        }
    }

    private static Result sharedPortal(FrameManagers portals, FrameManagerConfig board, int a, int b) throws Exception {
        try (FrameManagers.Portal portal = portals.open(withPorts(board, a, b));
             Sender one = new Sender(portal.frameManager(), a, false); Sender two = new Sender(portal.frameManager(), b, false)) {
            Object lock = new Object();
            return concurrently("one portal, two threads, one lock", () -> one.send(FRAMES, lock),
                    () -> two.send(FRAMES, lock));
        }
    }

    private static Result portalPerThread(FrameManagers portals, FrameManagerConfig board, int a, int b) throws Exception {
        try (FrameManagers.Portal first = portals.open(withPorts(board, a)); FrameManagers.Portal second = portals.open(withPorts(board, b));
             Sender one = new Sender(first.frameManager(), a, false); Sender two = new Sender(second.frameManager(), b, false)) {
            return concurrently("a portal per thread, two threads", () -> one.send(FRAMES, new Object()),
                    () -> two.send(FRAMES, new Object()));
        }
    }

    private static Result concurrently(String layout, Callable<Void> one, Callable<Void> two) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            long start = System.nanoTime();
            Future<Void> a = threads.submit(one);
            Future<Void> b = threads.submit(two);
            a.get();
            b.get();
            return new Result(layout, 2L * FRAMES, System.nanoTime() - start);
        } finally {
            threads.shutdownNow();
        }
    }

    private static FrameManagerConfig withPorts(FrameManagerConfig board, Integer... ports) {
        return board.withPorts(List.of(ports));
    }

    /**
     * One TX queue with its confirmation queue on one port of a portal (optionally in a congestion group whose
     * threshold the benchmark never reaches), and a frame to send again and again.
     */
    private static final class Sender implements AutoCloseable {

        private final FrameManager portal;
        private final Arena arena = Arena.ofShared();
        private final FdPair wire;
        private final DmaRegion region;
        private final int confirmQueue;
        private final int txQueue;
        private final int group;
        private final MemorySegment burst = arena.allocate(FrameDescriptor.BYTES * BURST, 8);
        private final Confirmations confirmations = Confirmations.allocate(arena, 16);

        Sender(FrameManager portal, int port, boolean congestionGroup) throws IOException {
            this.portal = portal;
            int page = PageSize.system();
            MemorySegment frame = arena.allocate(page, page);
            region = portal.registerDma(frame, null);
            wire = Libc.unixStreamPair();
            portal.bindPort(port, TxTarget.socket(wire.first()));
            confirmQueue = portal.createConfirmQueue(port);
            group = congestionGroup ? portal.createCongestionGroup(1L << 30, true) : TxQueueOptions.NO_GROUP;
            txQueue = portal.createTxQueue(port, confirmQueue, TxQueueOptions.NONE.inCongestionGroup(group));
            FrameDescriptor fd = FrameDescriptor.at(burst, 0);
            for (int i = 0; i < BURST; i++) {
                fd.moveTo(burst, i).contiguous(region.busBase(), 0, FRAME_BYTES);
            }
        }

        /** Sends {@code frames} frames and collects their confirmations, every portal call under {@code lock}. */
        Void send(int frames, Object lock) {
            int sent = 0;
            int confirmed = 0;
            while (confirmed < frames) {
                int progress = 0;
                synchronized (lock) {
                    if (sent < frames) {
                        int taken = portal.enqueue(txQueue, burst, Math.min(BURST, frames - sent));
                        sent += taken;
                        progress += taken;
                    }
                    int n;
                    while ((n = portal.dequeueConfirmations(confirmQueue, confirmations)) > 0) {
                        for (int i = 0; i < n; i++) {
                            assertEquals(0, confirmations.status(i) & FrameDescriptor.STATUS_TX_ERRORS);
                        }
                        confirmed += n;
                        progress += n;
                    }
                }
                if (progress == 0) {
                    Thread.yield(); // the emulated FMan thread needs the core to make room
                }
            }
            return null;
        }

        @Override
        public void close() throws IOException {
            portal.destroyQueue(txQueue);
            if (group != TxQueueOptions.NO_GROUP) {
                portal.destroyCongestionGroup(group);
            }
            portal.destroyQueue(confirmQueue);
            portal.unregisterDma(region);
            wire.close();
            arena.close();
        }
    }
}
