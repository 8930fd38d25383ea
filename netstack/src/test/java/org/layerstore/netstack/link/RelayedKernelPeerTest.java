// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.relay.Impairment;
import org.layerstore.netstack.relay.RelayCounter;
import org.layerstore.netstack.relay.RelayNetwork;
import org.layerstore.netstack.relay.RelayNetwork.Direction;

/**
 * The stack on an AF_PACKET socket judged by the kernel's TCP through the impairment relay, a process in
 * a namespace between them: a clean download, then one through loss, reordering, duplication, corruption
 * and delay both ways. The relay must have done each, the stack must have caught the corrupted frames by
 * their checksums and retransmitted, and the body must arrive sha256-identical with nothing left pinned.
 */
class RelayedKernelPeerTest {

    private static final int PORT = PatternServer.PORT;
    private static final long BODY = 8L << 20;

    private static RelayNetwork network;
    private static PatternServer server;
    private static NetStack stack;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        String unavailable = RelayNetwork.unavailableReason();
        assumeTrue(unavailable == null, unavailable);
        assumeTrue(Commands.installed("curl"), "curl is not installed (test-bench/setup/debian-packages.txt lists it)");
        network = RelayNetwork.create("lsrk", 4711);
        PacketSocketLink link = PacketSocketLink.open(network.stackInterface());
        server = PatternServer.start(link, link, RelayNetwork.STACK_ADDRESS, BODY, 15);
        stack = server.stack;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (network != null) {
            network.close();
        }
    }

    @Test
    void aCleanRelayForwardsEveryFrameUntouched() throws Exception {
        Map<RelayCounter, Long> before = network.counters(Direction.TO_CLIENT);
        download(1L << 20);
        Map<RelayCounter, Long> after = network.counters(Direction.TO_CLIENT);
        long received = after.get(RelayCounter.RECEIVED) - before.get(RelayCounter.RECEIVED);
        assertTrue(received > 700, "the body's segments went through the relay: " + after);
        assertEquals(received, after.get(RelayCounter.FORWARDED) - before.get(RelayCounter.FORWARDED), after.toString());
    }

    @Test
    void everyImpairmentBothWaysStillDeliversTheBodyIntact() throws Exception {
        Impairment all = Impairment.NONE.withLoss(0.01).withReorder(0.01, 3, 10).withDuplicate(0.005)
                .withCorrupt(0.005).withDelay(2, 1);
        long retransmissions = stack.counters().get(StackCounter.RETRANSMISSIONS);
        long badChecksums = badChecksums();
        network.impair(Direction.TO_CLIENT, all);
        network.impair(Direction.TO_STACK, all);
        double seconds;
        try {
            seconds = download(BODY);
        } finally {
            network.impair(Direction.TO_CLIENT, Impairment.NONE);
            network.impair(Direction.TO_STACK, Impairment.NONE);
        }
        Map<RelayCounter, Long> toClient = network.counters(Direction.TO_CLIENT);
        Map<RelayCounter, Long> toStack = network.counters(Direction.TO_STACK);
        System.out.printf("8 MiB through the relay in %.2f s: relay to client %s, to stack %s, stack %s%n", seconds,
                toClient, toStack, stack.counters().snapshot());
        for (RelayCounter c : new RelayCounter[] {RelayCounter.LOST, RelayCounter.REORDERED, RelayCounter.DUPLICATED,
                RelayCounter.CORRUPTED}) {
            assertTrue(toClient.get(c) > 0, c + " toward the client: " + toClient);
        }
        assertTrue(stack.counters().get(StackCounter.RETRANSMISSIONS) > retransmissions, "losses were retransmitted");
        assertTrue(badChecksums() > badChecksums, "the stack caught corrupted frames by their checksums");
    }

    private static long badChecksums() {
        return stack.counters().dropped(DropReason.TCP_BAD_CHECKSUM) + stack.counters().dropped(DropReason.IPV4_BAD_CHECKSUM);
    }

    private double download(long size) throws Exception {
        Path out = dir.resolve("body-" + size);
        long started = System.nanoTime();
        Commands.Result r = Commands.attempt(300, network.inClient("curl", "-sS", "--max-time", "280", "-o",
                out.toString(), "http://" + RelayNetwork.STACK_ADDRESS + ":" + PORT + "/" + size));
        double seconds = (System.nanoTime() - started) / 1e9;
        assertEquals(0, r.exitCode(), "curl: " + r.output() + " counters " + stack.counters().snapshot());
        assertEquals(server.patternSha256(size), PatternServer.sha256(out), "the body differs from the pattern");
        server.awaitNothingPinned();
        return seconds;
    }
}
