// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

/** The harness's parsing and bookkeeping, on real /proc and on output captured from the real tools. */
class HarnessPartsTest {

    @Test
    void spreadIsMedianAndRangeOverMedian() {
        Spread odd = Spread.of(List.of(5.0, 1.0, 3.0));
        assertEquals(3.0, odd.median());
        assertEquals(4.0 / 3.0, odd.spread(), 1e-12);
        assertEquals(2.5, Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }

    @Test
    void wrkSummaryLineIsParsedWithErrorsAddedUp() throws Exception {
        WrkRun run = Wrk.parse("{\"requests\":1000,\"bytes\":4096000,\"durationMicros\":2000000,"
                + "\"errors\":{\"connect\":1,\"read\":2,\"write\":0,\"status\":3,\"timeout\":4},"
                + "\"latencyMicros\":{\"p50\":100,\"p90\":200,\"p99\":900,\"p999\":1500,\"max\":2000,\"mean\":150.5}}");
        assertEquals(500.0, run.requestsPerSecond());
        assertEquals(2048000.0, run.bytesPerSecond());
        assertEquals(10, run.errors());
        assertEquals(900, run.latencyMicros().p99());
    }

    @Test
    void abReportsTheHeadRequestsTheServerAnswered() throws Exception {
        Assumptions.assumeTrue(Tools.find("ab").isPresent(), "ab (apache2-utils) is not installed");
        AtomicLong answered = new AtomicLong();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/", exchange -> {
            answered.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Length", "4096");
            exchange.sendResponseHeaders(200, -1); // HEAD: the length, no body
            exchange.close();
        });
        server.start();
        try {
            Load load = new Load("head-new-connection", "HEAD", "/f", 1, 4, 4096, Load.Client.AB, 1);
            WrkRun run = ApacheBench.run("http://127.0.0.1:" + server.getAddress().getPort(), load, Duration.ofSeconds(1));
            // ab stops at its time limit with up to one request per connection in flight, answered but not counted.
            assertTrue(run.requests() > 0 && run.requests() <= answered.get()
                    && answered.get() - run.requests() <= load.connections(), run.requests() + " of " + answered.get());
            assertEquals(0, run.errors());
            assertTrue(run.bytes() >= run.requests() * "Content-Length: 4096".length(), run.bytes() + " bytes");
            assertTrue(run.seconds() > 0.5 && run.seconds() < 30, run.seconds() + " s");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void gcLogPauseLinesGivePeakLiveAndCommitted() {
        HeapProbe.GcLog log = HeapProbe.GcLog.parse(List.of(
                "[0.012s][info][gc] Using G1",
                "[1.204s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 23M->4M(256M) 3.112ms",
                "[2.511s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 2048K->1024K(1G) 1.001ms",
                "[3.001s][info][gc] GC(2) Pause Full (System.gc()) 40M->6M(128M) 9.5ms"));
        assertEquals(3, log.collections());
        assertEquals(40.0, log.peakBefore());
        assertEquals(6.0, log.maxAfter());
        assertEquals(1024.0, log.maxCommitted());
    }

    @Test
    void anEngineIsUnavailableWhenTheApplianceWarnsAboutIt() {
        List<String> output = List.of("10:00:00.000 WARN  Share  share bench: engine zerocopy does not apply (MSG_ZEROCOPY"
                + " needs Linux 4.14 or later); its file bodies go through auto", "Layerstore is serving http://127.0.0.1:1234/");
        assertTrue(ApplianceLauncher.complaintAbout(output, "zerocopy").isPresent());
        assertTrue(ApplianceLauncher.complaintAbout(output, "splice").isEmpty(), "another engine's warning is not this one's");
        assertTrue(ApplianceLauncher.complaintAbout(List.of("10:00:00.000 INFO  Share  engine zerocopy ready"), "zerocopy").isEmpty());
    }

    @Test
    void aRefusedStartIsExplainedByTheLineNamingTheEngine() {
        List<String> output = List.of("serve: /tmp/x.yaml: Unrecognized field \"engine\" (class ShareSettings)",
                "    at org.example.Frame(Frame.java:1)", "");
        assertEquals("serve: /tmp/x.yaml: Unrecognized field \"engine\" (class ShareSettings)",
                ApplianceLauncher.reason(output, Optional.of("splice")));
        assertEquals("last words", ApplianceLauncher.reason(List.of("first", "last words"), Optional.empty()));
        assertEquals("(no output)", ApplianceLauncher.reason(List.of(), Optional.empty()));
    }

    @Test
    void cpuTicksAndPeakRssOfARealProcessAndItsChildren() throws Exception {
        long self = ProcessHandle.current().pid();
        ProcFs.CpuTicks before = ProcFs.cpu(self);
        // Spin until this thread has had 300 ms of CPU (not wall time: the machine may be busy), at most 60 s.
        var threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (threads.getCurrentThreadCpuTime() - start < TimeUnit.MILLISECONDS.toNanos(300) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertTrue(ProcFs.cpu(self).minus(before).totalSeconds() >= 0.25, "300 ms of spinning shows as CPU time");
        assertTrue(ProcFs.peakRssBytes(self) > 1 << 20);

        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            assertEquals(List.of(child.pid()), ProcFs.children(self).stream().filter(p -> p == child.pid()).toList());
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void nginxConfigurationIsTheFairBaseline() {
        String conf = NginxServer.config(Path.of("/tmp/prefix"), Path.of("/tmp/www"), 18080);
        for (String line : List.of("sendfile on;", "tcp_nopush on;", "access_log off;", "listen 127.0.0.1:18080;",
                "pid /tmp/prefix/nginx.pid;", "root /tmp/www;", "worker_processes " + Runtime.getRuntime().availableProcessors() + ";")) {
            assertTrue(conf.contains(line), line + " in\n" + conf);
        }
    }

    @Test
    void serversTakeTurnsGoingFirst() {
        assertEquals(List.of("b", "c", "a"), ServerComparison.rotated(List.of("a", "b", "c"), 1));
        assertEquals(List.of("a", "b", "c"), ServerComparison.rotated(List.of("a", "b", "c"), 3));
    }

    @Test
    void theServersStepRunsOnlyTheLoadsAskedForInTheirOwnOrder() {
        List<Load> standard = Load.standard(new BenchFiles(Path.of("/nowhere"), 4L << 20, 16, 2, 4));
        ServerSelection two = new ServerSelection(Set.of("head-new-connection", "one-4KiB-t1"), Optional.empty());
        assertEquals(List.of("one-4KiB-t1", "head-new-connection"), two.pick(standard).stream().map(Load::name).toList());
        assertEquals(standard, ServerSelection.all().pick(standard));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> new ServerSelection(Set.of("one-4KB"), Optional.empty()).pick(standard));
        assertTrue(unknown.getMessage().contains("one-4KB"), unknown.getMessage());
    }
}
