// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import org.layerstore.netstack.NetStack;
import org.layerstore.netstack.StackConfig;
import org.layerstore.netstack.time.Clock;
import org.layerstore.netstack.wire.Ipv4Address;

/**
 * The kernel-peer tests' server: a stack at an address/24 on a link, serving {@link PatternResponder} on
 * {@link #PORT} from one pattern, on its own loop thread. {@link #close} stops the loop, then closes the
 * wire and the pattern's memory.
 */
final class PatternServer implements AutoCloseable {

    static final int PORT = 8080;

    final Arena arena = Arena.ofShared();
    final PatternResponder.Pattern pattern;
    final NetStack stack;
    private final AutoCloseable wire;
    private final StackLoop loop;

    private PatternServer(Link link, AutoCloseable wire, String address, long size, long seed) {
        this.wire = wire;
        pattern = new PatternResponder.Pattern(arena, size, seed);
        stack = new NetStack(link, StackConfig.of(Ipv4Address.parse(address), 24), Clock.system(), new SecureRandom());
        stack.listen(PORT, () -> new PatternResponder(pattern, arena));
        loop = StackLoop.start(stack, "netstack-loop");
    }

    /** Serves {@code size} bytes of pattern {@code seed} at {@code address} over {@code link}, which runs on {@code wire}. */
    static PatternServer start(Link link, AutoCloseable wire, String address, long size, long seed) {
        return new PatternServer(link, wire, address, size, seed);
    }

    /** The SHA-256 (hex) of the first {@code size} bytes of the pattern. */
    String patternSha256(long size) throws NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(pattern.bytes.asSlice(0, size).asByteBuffer());
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;) {
                d.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Waits (20 s at most) until the stack holds no pinned byte, then checks every piece came back. */
    void awaitNothingPinned() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (stack.counters().pinnedBytes() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, stack.counters().pinnedBytes(), "pinned bytes after the connection ended");
        assertEquals(pattern.piecesMade.get(), pattern.piecesReleased.get(), "every payload piece released");
    }

    @Override
    public void close() throws Exception {
        loop.close();
        wire.close();
        arena.close();
    }
}
