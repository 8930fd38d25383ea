// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.Availability;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.engine.CopyEngine;
import org.layerstore.datapath.engine.CopyReceiveEngine;
import org.layerstore.datapath.engine.SendfileEngine;
import org.layerstore.datapath.engine.SpliceReceiveEngine;
import org.layerstore.datapath.engine.Transfer;
import org.layerstore.datapath.engine.TransmitEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.demo.DemoCertificate;

/**
 * A share naming an engine that cannot carry its bodies still serves: the server starts, says which
 * share, which engine and why, counts the fallback in that engine's statistics, and the bodies go
 * through {@code auto}'s pick (plain HTTP) or the {@code copy} path (TLS), as the access log shows.
 */
class EngineFallbackTest {

    @TempDir
    Path dir;

    private Path share() throws Exception {
        Path root = Files.createDirectories(dir.resolve("share"));
        Files.write(root.resolve("a.bin"), new byte[] {1, 2, 3, 4, 5});
        return root;
    }

    /** An engine as a host without it answers (zerocopy on a kernel before 4.14): unavailable, with the reason. */
    private record Missing(String name, String reason, EngineStatistics statistics) implements TransmitEngine {
        @Override
        public Availability availability() {
            return Availability.unavailable(reason);
        }

        @Override
        public Transfer open(OpenFile file, FileRange range) {
            throw new IllegalStateException(name + ": " + reason);
        }
    }

    @Test
    void unavailableEngineFallsBackToAutoAndIsCounted() throws Exception {
        Path root = share();
        BoardDatapath board = BoardDatapath.builtIn("ls1046ardb");
        TransmitEngine zerocopy = new Missing("zerocopy", "MSG_ZEROCOPY needs Linux 4.14 or later",
                new EngineStatistics("zerocopy"));
        TransmitEngines engines = TransmitEngines.of(board.limits(), List.of(new CopyEngine(), new SendfileEngine(), zerocopy),
                List.of(new SpliceReceiveEngine(), new CopyReceiveEngine()));
        HttpFileServer server = HttpFileServer.start(TestServers.loopback(), AuthSettings.defaults(),
                List.of(new ShareSettings("fast", root, true).withAnonymous("read").withEngine("zerocopy")),
                new HttpStats(), List.of(), engines);
        try (AccessLogCapture log = new AccessLogCapture()) {
            EngineFallback fallback = server.engineFallbacks().getFirst();
            assertEquals("fast", fallback.share());
            assertEquals("zerocopy", fallback.engine());
            assertEquals("auto", fallback.fallback());
            assertEquals("MSG_ZEROCOPY needs Linux 4.14 or later", fallback.reason());
            Map<String, Long> counted = engines.engine("zerocopy").statistics().snapshot().fallbacks();
            assertEquals(Map.of(fallback.reason(), 1L), counted);

            Curl.Response r = new Curl(dir).run("http://127.0.0.1:" + server.localAddress().getPort() + "/fast/a.bin");
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, r.body());
            String line = log.await("\"GET /fast/a.bin HTTP/1.1\" 200 5");
            // auto, falling back: a 5-byte body goes in its header's write, which the access log calls copy
            assertTrue(line.contains(" engine=copy "), line);
        } finally {
            server.close();
        }
    }

    @Test
    void underTlsEveryEngineButCopyFallsBackToCopy() throws Exception {
        Path root = share();
        TransmitEngines engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));
        HttpFileServer server = HttpFileServer.start(TestServers.loopback().withTls(DemoCertificate.create(dir.resolve("tls"))),
                AuthSettings.defaults(), List.of(new ShareSettings("s", root, true).withAnonymous("read").withEngine("sendfile"),
                        new ShareSettings("c", root, true).withAnonymous("read").withEngine("copy")),
                new HttpStats(), List.of(), engines);
        try (AccessLogCapture log = new AccessLogCapture()) {
            assertEquals(List.of(new EngineFallback("s", "sendfile", "copy", FileBodyWriter.TLS_REASON)),
                    server.engineFallbacks());
            long copied = engines.engine("copy").statistics().snapshot().cpuCopiedBytes();
            Curl.Response r = new Curl(dir, "--cacert", dir.resolve("tls/cert.pem").toString())
                    .run("https://127.0.0.1:" + server.localAddress().getPort() + "/s/a.bin");
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, r.body());
            assertTrue(log.await("\"GET /s/a.bin HTTP/1.1\" 200 5").contains(" engine=copy "));
            assertEquals(copied + 5, engines.engine("copy").statistics().snapshot().cpuCopiedBytes());
        } finally {
            server.close();
        }
    }
}
