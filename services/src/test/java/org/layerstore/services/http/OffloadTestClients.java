// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/** What the offload port tests share: their server and files, their digests, their downloads, a killed client. */
final class OffloadTestClients {

    /** USER_HZ, the unit of /proc's CPU times: 100 on every Linux architecture the appliance runs on. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;

    private OffloadTestClients() {
    }

    /** The file server on loopback with the share {@code files} at {@code root}, for a test's offload port. */
    static HttpFileServer startServer(Path dir, Path root) throws IOException {
        return startServer(dir, root, 512);
    }

    /** As {@link #startServer(Path, Path)}, with {@code perClient} connections from one client address allowed. */
    static HttpFileServer startServer(Path dir, Path root, int perClient) throws IOException {
        return startServer(dir, root, LimitSettings.defaults().withMaxConnectionsPerClient(perClient));
    }

    /** As {@link #startServer(Path, Path)}, with {@code limits}. */
    static HttpFileServer startServer(Path dir, Path root, LimitSettings limits) throws IOException {
        HttpSettings http = new HttpSettings("127.0.0.1", 0, null, limits);
        return HttpFileServer.start(http, new AuthSettings(TestServers.usersFile(dir), null, true),
                List.of(new ShareSettings("files", root, false)));
    }

    /** curl in the network's namespace, signed in as the test user. */
    static Curl curl(OffloadDemoNetwork network, Path dir) {
        return Curl.inNamespace(network.namespace(), dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
    }

    /**
     * Downloads {@code one-MiB.bin} and {@code sixty-four-MiB.bin} from {@code base}, checks both are
     * sha256-identical to the files in {@code root}, and returns the seconds the 64 MiB took.
     */
    static double downloadOneAndSixtyFourMebibytes(Curl curl, String base, Path root) throws Exception {
        Curl.Response small = curl.run(base + "one-MiB.bin");
        assertEquals(200, small.status());
        assertArrayEquals(sha256(Files.readAllBytes(root.resolve("one-MiB.bin"))), sha256(small.body()));
        long started = System.nanoTime();
        Curl.Response big = curl.run(base + "sixty-four-MiB.bin");
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(200, big.status());
        assertEquals(64 << 20, big.body().length);
        assertArrayEquals(sha256(Files.readAllBytes(root.resolve("sixty-four-MiB.bin"))), sha256(big.body()));
        return seconds;
    }

    static byte[] sha256(byte[] bytes) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    /**
     * Starts a rate-limited curl in the network's namespace on {@code url}, waits until {@code pinned} reads
     * more than 0 (the download is under way), and kills it: the kernel resets a socket closed with unread
     * data (RFC 2525 2.17).
     */
    static void killMidDownload(OffloadDemoNetwork network, String url, LongSupplier pinned) throws Exception {
        Process slow = new ProcessBuilder(network.inNamespace("curl", "-sS", "--limit-rate", "512k", "-u",
                TestServers.USER + ":" + TestServers.PASSWORD, "-o", "/dev/null", url))
                .redirectErrorStream(true).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pinned.getAsLong() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(pinned.getAsLong() > 0, "the download is under way");
        slow.destroyForcibly();
        assertTrue(slow.waitFor(10, TimeUnit.SECONDS));
    }

    /**
     * What one timed PUT by curl measured: the status, wall seconds, this JVM's CPU seconds meanwhile, and the
     * segments the client's kernel retransmitted meanwhile (its namespace's TcpRetransSegs), and the threads of
     * this JVM that used the most CPU meanwhile (native ones too: the emulated frame manager's).
     */
    record TimedPut(int status, double seconds, double cpuSeconds, long clientRetransmissions, String busiestThreads) {
        double mebibytesPerSecond(long bytes) {
            return bytes / seconds / (1 << 20);
        }
    }

    /**
     * PUTs {@code file} to {@code url} with curl in the network's namespace (no {@code Expect: 100-continue}
     * wait, so the time is the body's), timing it on the wall clock and in this JVM's CPU time, which holds
     * the server, its stack and the emulated frame manager.
     */
    static TimedPut timedPut(OffloadDemoNetwork network, String url, Path file) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long retransmitted = clientRetransmissions(network);
        Map<String, Long> threadsBefore = threadCpuTicks();
        long cpu = os.getProcessCpuTime();
        long started = System.nanoTime();
        Process put = new ProcessBuilder(network.inNamespace("curl", "-sS", "--max-time", "600", "-H", "Expect:",
                "-u", TestServers.USER + ":" + TestServers.PASSWORD, "-o", "/dev/null", "-w", "%{http_code}",
                "-T", file.toString(), url)).redirectErrorStream(true).start();
        String output = new String(put.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(put.waitFor(610, TimeUnit.SECONDS), "curl's PUT did not finish");
        double seconds = (System.nanoTime() - started) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu) / 1e9;
        assertEquals(0, put.exitValue(), "curl: " + output);
        return new TimedPut(Integer.parseInt(output), seconds, cpuSeconds, clientRetransmissions(network) - retransmitted,
                busiest(threadsBefore, threadCpuTicks(), 6));
    }

    /**
     * CPU clock ticks (user + system) of this JVM's threads by "name#tid" ({@code /proc/self/task}): a native
     * thread started by a Java one has that one's name, so the id tells them apart.
     */
    private static Map<String, Long> threadCpuTicks() throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                // pid (comm) state ... : utime and stime are the 14th and 15th fields (proc(5))
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks.put(name + "#" + task.getFileName(), Long.parseLong(after[11]) + Long.parseLong(after[12]));
            }
        }
        return ticks;
    }

    /** The {@code count} threads whose ticks grew most, as "name#tid 1.23 s", busiest first. */
    private static String busiest(Map<String, Long> before, Map<String, Long> after, int count) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(count)
                .map(e -> String.format("%s %.2f s", e.getKey(), e.getValue() / (double) CLOCK_TICKS_PER_SECOND))
                .collect(Collectors.joining(", "));
    }

    /**
     * The segments the kernel in the network's namespace has retransmitted since it was made ({@code nstat -asz}:
     * absolute, the history file untouched).
     */
    private static long clientRetransmissions(OffloadDemoNetwork network) throws Exception {
        Process p = new ProcessBuilder(network.inNamespace("nstat", "-asz", "TcpRetransSegs")).redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "nstat did not finish");
        return output.lines().filter(l -> l.startsWith("TcpRetransSegs"))
                .mapToLong(l -> Long.parseLong(l.split("\\s+")[1])).findFirst()
                .orElseThrow(() -> new AssertionError("nstat: " + output));
    }

    /**
     * GETs {@code url} {@code count} times one after the other on one connection (one curl), checks every
     * answer is 200 with {@code size} bytes, and returns each request's seconds, sorted.
     */
    static double[] sequentialGets(OffloadDemoNetwork network, String url, int count, long size) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "120", "-u",
                TestServers.USER + ":" + TestServers.PASSWORD, "-w", "%{http_code} %{size_download} %{time_total}\\n"));
        for (int i = 0; i < count; i++) {
            command.addAll(List.of("-o", "/dev/null", url));
        }
        Process p = new ProcessBuilder(network.inNamespace(command.toArray(String[]::new))).redirectErrorStream(true)
                .start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertTrue(p.waitFor(130, TimeUnit.SECONDS), "curl's GETs did not finish");
        assertEquals(0, p.exitValue(), "curl: " + lines);
        assertEquals(count, lines.size(), "one line per request: " + lines);
        double[] seconds = new double[count];
        for (int i = 0; i < count; i++) {
            String[] fields = lines.get(i).split(" ");
            assertEquals("200", fields[0], lines.get(i));
            assertEquals(size, Long.parseLong(fields[1]), lines.get(i));
            seconds[i] = Double.parseDouble(fields[2]);
        }
        Arrays.sort(seconds);
        return seconds;
    }

    /** Waits (20 s at most) until the stack holds no piece and the link no pinned or mapped file page. */
    static void awaitNothingPinned(StackCounters counters, LinkCounters link) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((counters.pinnedBytes() != 0 || link.pinnedBytes() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, counters.pinnedBytes(), "every piece released once acknowledged");
        assertEquals(0, link.pinnedBytes(), "every file page unpinned and unmapped");
    }
}
