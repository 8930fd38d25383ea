// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.layerstore.datapath.RandomContent;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.tcp.TcpState;
import org.layerstore.services.config.OffloadSettings;
import org.layerstore.services.demo.OffloadDemoNetwork;
import org.layerstore.services.http.webdav.Litmus;

/**
 * The offload port on the frame-manager link under load, judged by real clients in the namespace: wrk with
 * 64 connections over small and 1 MiB files, 1,000 kernel connections open at once with one request each,
 * and litmus. Afterwards no connection is left but the listener and nothing is pinned.
 */
class FrameManagerLoadTest {

    private static final int CONNECTIONS = 1000;

    @RegisterExtension
    static final OffloadPortFixture fixture = OffloadPortFixture.on(OffloadSettings.WIRE_FRAME_MANAGER, "lsp", root -> {
        RandomContent.createNew(root.resolve("one-MiB.bin"), 1 << 20, 21);
        RandomContent.createNew(root.resolve("four-KiB.bin"), 4096, 22);
        Files.writeString(root.resolve("small.txt"), "hello over the frame manager\n");
    }).withPerClient(CONNECTIONS + 64);

    @Test
    void wrkWithSixtyFourConnectionsGetsEveryAnswerAndLeavesNothingBehind() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/wrk")), "needs /usr/bin/wrk");
        String prefix = "/files/";
        ProcessBuilder pb = new ProcessBuilder(fixture.network().inNamespace("wrk", "-t2", "-c64", "-d5s",
                "--timeout", "20s", "-s", PeerTools.resource("mix.lua").toString(),
                "http://" + OffloadDemoNetwork.STACK_ADDRESS + ":" + fixture.port().localAddress().getPort()))
                .redirectErrorStream(true);
        pb.environment().put("WRK_PATHS", prefix + "small.txt," + prefix + "four-KiB.bin," + prefix + "small.txt,"
                + prefix + "one-MiB.bin");
        pb.environment().put("WRK_AUTH", TestServers.basic().substring("Basic ".length()));
        long started = System.nanoTime();
        Process wrk = pb.start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(wrk.waitFor(60, TimeUnit.SECONDS), output);
        System.out.printf("wrk over the frame-manager offload port (%.1f s):%n%s%n", (System.nanoTime() - started) / 1e9,
                output);
        assertEquals(0, wrk.exitValue(), output);
        Map<String, String> summary = PeerTools.pairs(output);
        assertTrue(Long.parseLong(summary.get("requests")) >= 64, output);
        for (String error : List.of("connect", "read", "write", "timeout", "status")) {
            assertEquals("0", summary.get(error), error + " errors (status: non-2xx/3xx answers):\n" + output);
        }
        System.out.println("when wrk ended: " + fixture.counters().snapshot());
        System.out.println(fixture.linkReport());
        long ended = System.nanoTime();
        awaitOnlyTheListener();
        fixture.awaitNothingPinned();
        PeerTools.assertKernelFoundNothingWrong(fixture.network());
        System.out.printf("every connection closed and nothing pinned %.1f s after wrk ended%n",
                (System.nanoTime() - ended) / 1e9);
    }

    @Test
    void aThousandConnectionsOpenAtOnceAreAllAnswered() throws Exception {
        PeerTools.assumePython();
        long started = System.nanoTime();
        Process client = new ProcessBuilder(PeerTools.python(fixture.network(), "many_connections.py",
                OffloadDemoNetwork.STACK_ADDRESS, fixture.port().localAddress().getPort(), CONNECTIONS,
                PeerTools.request(fixture.dir(), "/files/four-KiB.bin"))).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                OutputStream in = client.getOutputStream()) {
            String line = out.readLine();
            lines.add(line);
            assertEquals("connected=" + CONNECTIONS, line, "the client opened every connection");
            // The client's connect returns at the SYN-ACK; the stack establishes at the ACK just behind it.
            long established = fixture.awaitConnections(TcpState.ESTABLISHED, CONNECTIONS);
            double connectSeconds = (System.nanoTime() - started) / 1e9;
            in.write('\n');
            in.flush();
            for (String l = out.readLine(); l != null; l = out.readLine()) {
                lines.add(l);
            }
            assertTrue(client.waitFor(120, TimeUnit.SECONDS), String.join("\n", lines));
            System.out.printf("%d connections: open in %.1f s, all answered after %.1f s; %d SYN cookies, %d "
                    + "retransmissions so far%n", CONNECTIONS, connectSeconds, (System.nanoTime() - started) / 1e9,
                    fixture.counters().get(StackCounter.SYN_COOKIES_ACCEPTED),
                    fixture.counters().get(StackCounter.RETRANSMISSIONS));
            System.out.println(fixture.linkReport());
            assertEquals(CONNECTIONS, established, "the stack held every connection at once");
        }
        assertEquals(0, client.exitValue(), String.join("\n", lines));
        Map<String, String> result = PeerTools.pairs(String.join("\n", lines));
        assertEquals(String.valueOf(CONNECTIONS), result.get("ok"), "every connection answered 200 in full: " + lines);
        assertEquals("1", result.get("bodies"), "every body the same 4 KiB");
        awaitOnlyTheListener();
        fixture.awaitNothingPinned();
        PeerTools.assertKernelFoundNothingWrong(fixture.network());
    }

    @Test
    void litmusPassesThroughTheFrameManagerOffloadPort() throws Exception {
        Path work = Files.createDirectories(fixture.dir().resolve("litmus"));
        long started = System.nanoTime();
        Litmus.assertEverySuitePasses(fixture.network().inNamespace(), fixture.base(), work,
                "offload port on the frame manager");
        System.out.printf("litmus over the frame-manager offload port: %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    /**
     * Every connection closed but the listener. TIME-WAIT is left out: it belongs to the side that closes
     * first, the clients here, but a connection the server closed first waits its 60 s there rightly. A
     * minute, because under this load the port discards received frames for want of a buffer, and a lost
     * FIN or its ACK waits for a backed-off RTO (1, 2, 4, 8, 16 s...).
     */
    private static void awaitOnlyTheListener() throws InterruptedException {
        for (TcpState state : TcpState.values()) {
            if (state != TcpState.LISTEN && state != TcpState.CLOSED && state != TcpState.TIME_WAIT) {
                assertEquals(0, fixture.awaitConnections(state, 0, 60), "connections in " + state);
            }
        }
        assertEquals(1, fixture.counters().connections(TcpState.LISTEN));
    }
}
