// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;

/** What the offload port tests share: their server and files, their digests, their downloads, a killed client. */
final class OffloadTestClients {

    private OffloadTestClients() {
    }

    /** The file server on loopback with the share {@code files} at {@code root}, for a test's offload port. */
    static HttpFileServer startServer(Path dir, Path root) throws IOException {
        return startServer(dir, root, LimitSettings.defaults());
    }

    /** The same server with {@code limits} (and 512 connections per client at most). */
    static HttpFileServer startServer(Path dir, Path root, LimitSettings limits) throws IOException {
        HttpSettings http = new HttpSettings("127.0.0.1", 0, null, limits.withMaxConnectionsPerClient(512));
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
