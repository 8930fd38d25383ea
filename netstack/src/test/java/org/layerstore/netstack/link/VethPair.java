// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Assumptions;

/**
 * A veth pair made for one test: the stack's end stays in this namespace with no IP address (IPv6 off,
 * so the kernel sends nothing on it), the peer end goes into a namespace of its own with
 * {@code 192.0.2.1/24}; offloads off on both ends, so the peer's kernel sends ordinary frames with filled
 * checksums. {@link #close} deletes the namespace, which deletes both ends.
 */
public final class VethPair implements AutoCloseable {

    public static final String PEER_ADDRESS = "192.0.2.1";
    public static final String STACK_ADDRESS = "192.0.2.2";

    public final String namespace;
    public final String stackEnd;
    public final String peerEnd;

    private VethPair(String prefix, String tag) {
        namespace = prefix + "-peer-" + tag;
        stackEnd = prefix + tag + "s";
        peerEnd = prefix + tag + "p";
    }

    /**
     * Why this host cannot build a veth pair and run {@code programs} on it (not root, ip, ethtool or one of
     * the programs missing), for a skip; null when it can.
     */
    public static String unavailableReason(String... programs) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "needs root for network namespaces and AF_PACKET (runs as " + System.getProperty("user.name") + ")";
        }
        List<String> needed = new ArrayList<>(List.of("ip", "ethtool"));
        needed.addAll(List.of(programs));
        for (String program : needed) {
            if (!Commands.installed(program)) {
                return program + " is not installed (test-bench/setup/debian-packages.txt lists it)";
            }
        }
        return null;
    }

    /** Skips the test, saying why, when this host cannot build a veth pair and run {@code programs} on it. */
    public static void assumeUsable(String... programs) {
        String unavailable = unavailableReason(programs);
        Assumptions.assumeTrue(unavailable == null, unavailable);
    }

    public static VethPair create() {
        return create("lsns");
    }

    /** A pair whose names start with {@code prefix} (four letters: interface names have at most 15). */
    public static VethPair create(String prefix) {
        VethPair v = new VethPair(prefix, HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        try {
            v.setUp();
        } catch (RuntimeException e) {
            v.close();
            throw e;
        }
        return v;
    }

    private void setUp() throws IllegalStateException {
        Commands.run(10, "ip", "netns", "add", namespace);
        Commands.run(10, "ip", "link", "add", stackEnd, "type", "veth", "peer", "name", peerEnd);
        Commands.run(10, "ip", "link", "set", peerEnd, "netns", namespace);
        try {
            Files.writeString(Path.of("/proc/sys/net/ipv6/conf", stackEnd, "disable_ipv6"), "1");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot turn IPv6 off on " + stackEnd, e);
        }
        Commands.run(10, "ethtool", "-K", stackEnd, "tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");
        Commands.run(10, "ip", "link", "set", stackEnd, "up");
        inPeer(10, "ethtool", "-K", peerEnd, "tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");
        inPeer(10, "ip", "addr", "add", PEER_ADDRESS + "/24", "dev", peerEnd);
        inPeer(10, "ip", "link", "set", peerEnd, "up");
        inPeer(10, "ip", "link", "set", "lo", "up");
    }

    /** Runs a command in the peer's namespace, failing on a non-zero exit. */
    String inPeer(int timeoutSeconds, String... command) {
        return Commands.run(timeoutSeconds, peerCommand(command));
    }

    Commands.Result attemptInPeer(int timeoutSeconds, String... command) {
        return Commands.attempt(timeoutSeconds, peerCommand(command));
    }

    public String[] peerCommand(String... command) {
        String[] full = new String[command.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = namespace;
        System.arraycopy(command, 0, full, 4, command.length);
        return full;
    }

    @Override
    public void close() {
        Commands.attempt(10, "ip", "netns", "del", namespace);
        Commands.attempt(10, "ip", "link", "del", stackEnd);
    }
}
