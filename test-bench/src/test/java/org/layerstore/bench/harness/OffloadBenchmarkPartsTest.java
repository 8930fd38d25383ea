// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.hal.fm.EmulatedFrameManager;
import org.layerstore.hal.fm.FrameManagerConfig;

/** The offload benchmark's bookkeeping: native threads of a real JVM, CPU split, ratios, wrk in a namespace. */
class OffloadBenchmarkPartsTest {

    @TempDir
    Path dir;

    @Test
    void theEmulatedFrameManagersThreadsAreNativeThreadsAndTheJvmsAreNot() throws Exception {
        long self = ProcessHandle.current().pid();
        Set<Long> before = NativeThreads.of(self);
        Set<Long> started;
        try (EmulatedFrameManager fm = EmulatedFrameManager.open(FrameManagerConfig.defaults(1))) {
            started = new HashSet<>(NativeThreads.of(self));
            started.removeAll(before);
            assertFalse(started.isEmpty(), "opening a portal starts the emulated FMan's thread, which the JVM does not list");
            assertTrue(ProcFs.threadCpu(self).keySet().containsAll(started), "they are this process's threads");
        }
        Set<Long> after = NativeThreads.of(self);
        for (long thread : started) {
            assertFalse(after.contains(thread), "closing the portal ends its threads: " + thread);
        }
        assertFalse(before.contains(self), "the launcher's first thread is left out");
    }

    @Test
    void aBusyThreadsSchedulerStatisticsGrow() throws Exception {
        long self = ProcessHandle.current().pid();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        ProcFs.SchedStat before = ProcFs.schedStat(self);
        // Spin for 50 ms of this thread's CPU time, however long the loaded machine takes to give it.
        long spinUntil = threads.getCurrentThreadCpuTime() + 50_000_000;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < spinUntil) {
            x++;
        }
        ProcFs.SchedStat used = ProcFs.schedStat(self).minus(before);
        assertTrue(used.runNanos() >= 50_000_000, used + " after 50 ms of CPU (" + x + " turns)");
        assertTrue(used.waitNanos() >= 0, used.toString());
    }

    @Test
    void threadPrintNidsAreReadInDecimalAndHexadecimal() {
        Set<Long> ids = NativeThreads.jvmThreads(List.of(
                "\"main\" #1 [20001] prio=5 os_prio=0 cpu=812.33ms elapsed=9.20s tid=0x00007f3c9802d000 nid=20001 waiting on condition",
                "\"VM Thread\" os_prio=0 cpu=20.51ms elapsed=9.19s tid=0x00007f3c980f2000 nid=0x4e25 runnable",
                "   java.lang.Thread.State: RUNNABLE"));
        assertEquals(Set.of(20001L, 0x4e25L), ids);
    }

    @Test
    void theNativeThreadsShareOfACellsCpuIsPerGibLikeTheWhole() {
        long gib = 1L << 30;
        WrkRun run = new WrkRun(4, 2 * gib, 10_000_000, 0, new WrkRun.Latency(1, 2, 3, 4, 5, 1.5));
        CellRound round = new CellRound(run, new ProcFs.CpuTicks(200, 100), 1 << 20, 12.5);
        Map<String, Double> m = OffloadCell.metrics(round, new ProcFs.CpuTicks(60, 40), new ProcFs.SchedStat(3_000_000_000L,
                1_500_000_000L));
        assertEquals(1.5, m.get(CellRound.Metric.CPU_PER_GIB), 1e-9);
        assertEquals(0.5, m.get(OffloadCell.NATIVE_CPU_PER_GIB), 1e-9);
        assertEquals(1.0, m.get(OffloadCell.JVM_CPU_PER_GIB), 1e-9);
        assertEquals(0.15, m.get(OffloadCell.RUN_QUEUE_WAIT), 1e-9, "1.5 s of waiting in a 10 s cell");
    }

    @Test
    void ratiosAreToTheKernelsMediansAndLeaveOutErrorsAndTheLoadAverage() {
        List<Map<String, Double>> kernel = List.of(
                Map.of(CellRound.Metric.THROUGHPUT, 100.0, CellRound.Metric.ERRORS, 1.0, CellRound.Metric.LOAD_AVERAGE, 10.0),
                Map.of(CellRound.Metric.THROUGHPUT, 300.0, CellRound.Metric.ERRORS, 1.0, CellRound.Metric.LOAD_AVERAGE, 12.0));
        List<Map<String, Double>> offload = List.of(
                Map.of(CellRound.Metric.THROUGHPUT, 50.0, CellRound.Metric.ERRORS, 2.0, CellRound.Metric.LOAD_AVERAGE, 11.0),
                Map.of(CellRound.Metric.THROUGHPUT, 150.0, CellRound.Metric.ERRORS, 2.0, CellRound.Metric.LOAD_AVERAGE, 11.0));
        OffloadCell k = OffloadCell.of("direct", OffloadPortServers.KERNEL, "big", kernel);
        OffloadCell o = OffloadCell.of("direct", OffloadPortServers.OFFLOAD, "big", offload).withRatiosTo(k);
        assertEquals(Map.of(CellRound.Metric.THROUGHPUT, 0.5), o.ratioToKernel());
        assertEquals(200.0, k.median(CellRound.Metric.THROUGHPUT));
    }

    @Test
    void wrkThroughANamespaceRunsTheSameCommandInIt() throws Exception {
        Wrk wrk = Wrk.prepare(dir);
        Load load = new Load("small-4KiB", "GET", "/bench/small/f%05d.bin", 16, 8, 4096, Load.Client.WRK, 1);
        List<String> plain = wrk.command("http://192.0.2.2:80", load, Duration.ofSeconds(3));
        List<String> inNamespace = wrk.through(BenchNetwork.in("lsbtest")).command("http://192.0.2.2:80", load,
                Duration.ofSeconds(3));
        assertEquals(List.of("ip", "netns", "exec", "lsbtest"), inNamespace.subList(0, 4));
        assertEquals(plain, inNamespace.subList(4, inNamespace.size()));
        assertEquals("wrk", plain.getFirst());
    }
}
