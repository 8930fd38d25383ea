// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The offload benchmark's network: a server namespace and a client namespace joined by two veth pairs
 * built alike, one per server, so both servers run at once and the rounds interleave them. The offload
 * path's server end has no IP address (the appliance's user-space stack owns it, at {@value #OFFLOAD_SERVER});
 * the kernel path's server end holds {@value #KERNEL_SERVER}, where the kernel listener binds. Both pairs
 * have IPv6 off on the server end and TSO, GSO, GRO and checksum offloads off on every end (the stack needs
 * whole frames with their checksums filled in, and the kernel path gets the same wire). Addresses come from
 * the documentation ranges (RFC 5737) and exist only inside the two namespaces, which {@link #close}
 * deletes with their interfaces. Names: {@value #PREFIX} plus a random tag, so runs never clash.
 */
final class BenchNetwork implements AutoCloseable {

    static final String PREFIX = "lsb";
    static final String OFFLOAD_SERVER = "192.0.2.2";
    static final String OFFLOAD_CLIENT = "192.0.2.1";
    static final String KERNEL_SERVER = "198.51.100.2";
    static final String KERNEL_CLIENT = "198.51.100.1";
    static final int PREFIX_LENGTH = 24;
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);
    private static final List<String> NO_OFFLOADS = List.of("tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");

    private final String serverNamespace;
    private final String clientNamespace;
    private final String offloadServerEnd;
    private final String kernelServerEnd;
    /** Every command that built the network, in order: the results record them. */
    private final List<String> commands = new ArrayList<>();

    private BenchNetwork(String tag) {
        this.serverNamespace = PREFIX + tag + "s";
        this.clientNamespace = PREFIX + tag + "c";
        this.offloadServerEnd = PREFIX + tag + "o0";
        this.kernelServerEnd = PREFIX + tag + "k0";
    }

    /** Builds the network under a new random tag; needs root, {@code ip} and {@code ethtool}. */
    static BenchNetwork create() throws IOException, InterruptedException {
        if (((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) != 0) {
            throw new IOException("the offload benchmark creates network namespaces and veth pairs: run it as root");
        }
        Tools.require("ip", "apt-get install iproute2");
        Tools.require("ethtool", "apt-get install ethtool");
        BenchNetwork network = new BenchNetwork(HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        try {
            network.build();
        } catch (IOException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void build() throws IOException, InterruptedException {
        run("ip", "netns", "add", serverNamespace);
        run("ip", "netns", "add", clientNamespace);
        for (String ns : List.of(serverNamespace, clientNamespace)) {
            run(in(ns, "ip", "link", "set", "lo", "up"));
        }
        pair(offloadServerEnd, PREFIX_LENGTH, null, OFFLOAD_CLIENT);
        pair(kernelServerEnd, PREFIX_LENGTH, KERNEL_SERVER, KERNEL_CLIENT);
    }

    /** A pair {@code serverEnd} (server namespace, {@code serverAddress} or none) / its peer (client namespace). */
    private void pair(String serverEnd, int prefix, String serverAddress, String clientAddress)
            throws IOException, InterruptedException {
        String clientEnd = peerOf(serverEnd);
        run("ip", "link", "add", serverEnd, "netns", serverNamespace, "type", "veth", "peer", "name", clientEnd, "netns",
                clientNamespace);
        run(in(serverNamespace, "sysctl", "-q", "-w", "net.ipv6.conf." + serverEnd + ".disable_ipv6=1"));
        run(in(serverNamespace, concat(List.of("ethtool", "-K", serverEnd), NO_OFFLOADS)));
        run(in(clientNamespace, concat(List.of("ethtool", "-K", clientEnd), NO_OFFLOADS)));
        if (serverAddress != null) {
            run(in(serverNamespace, "ip", "addr", "add", serverAddress + "/" + prefix, "dev", serverEnd));
        }
        run(in(serverNamespace, "ip", "link", "set", serverEnd, "up"));
        run(in(clientNamespace, "ip", "addr", "add", clientAddress + "/" + prefix, "dev", clientEnd));
        run(in(clientNamespace, "ip", "link", "set", clientEnd, "up"));
    }

    private static String peerOf(String serverEnd) {
        return serverEnd.substring(0, serverEnd.length() - 1) + "1";
    }

    String serverNamespace() {
        return serverNamespace;
    }

    String clientNamespace() {
        return clientNamespace;
    }

    /** The interface the offload port's stack owns (no address). */
    String offloadServerEnd() {
        return offloadServerEnd;
    }

    /** The interface holding the kernel listener's address. */
    String kernelServerEnd() {
        return kernelServerEnd;
    }

    /** The commands that built the network, one line each. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** {@code command} as it runs inside namespace {@code ns}. */
    static List<String> in(String ns, String... command) {
        return in(ns, List.of(command));
    }

    static List<String> in(String ns, List<String> command) {
        return concat(List.of("ip", "netns", "exec", ns), command);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private void run(String... command) throws IOException, InterruptedException {
        run(List.of(command));
    }

    private void run(List<String> command) throws IOException, InterruptedException {
        commands.add(String.join(" ", command));
        ManagedProcess.runToEnd(command.getFirst(), command, COMMAND_LIMIT);
    }

    /** Deletes both namespaces; deleting a namespace deletes the veth ends in it, and with them their peers. */
    @Override
    public void close() {
        for (String ns : List.of(serverNamespace, clientNamespace)) {
            if (Files.exists(Path.of("/run/netns", ns))) {
                try {
                    ManagedProcess.runToEnd("ip", List.of("ip", "netns", "del", ns), COMMAND_LIMIT);
                } catch (IOException e) {
                    System.err.println("removing the benchmark network: " + e.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
