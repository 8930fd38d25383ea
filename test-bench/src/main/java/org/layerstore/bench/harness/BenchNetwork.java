// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.layerstore.netstack.relay.ImpairmentRelay;

/**
 * The offload benchmark's network: a server namespace and a client namespace joined by two paths built
 * alike, one per server, so both servers run at once and the rounds interleave them. The offload path's
 * server end has no IP address (the appliance's user-space stack owns it, at {@value #OFFLOAD_SERVER}); the
 * kernel path's server end holds {@value #KERNEL_SERVER}, where the kernel listener binds. A path is one
 * veth pair ({@link #direct}), or two with netstack's {@link ImpairmentRelay} between them in a relay
 * namespace of its own, one relay process per path ({@link #relayed}), as the offload-port tests use it.
 * Every end has TSO, GSO, GRO and checksum offloads off (the stack needs whole frames with their checksums
 * filled in, the relay too, and the kernel path gets the same wire); the server ends have IPv6 off.
 * Addresses come from the documentation ranges (RFC 5737) and exist only inside the namespaces, which
 * {@link #close} deletes with their interfaces. Names: {@value #PREFIX} plus a random tag, so runs never clash.
 */
final class BenchNetwork implements AutoCloseable {

    static final String PREFIX = "lsb";
    static final String OFFLOAD_SERVER = "192.0.2.2";
    static final String OFFLOAD_CLIENT = "192.0.2.1";
    static final String KERNEL_SERVER = "198.51.100.2";
    static final String KERNEL_CLIENT = "198.51.100.1";
    static final int PREFIX_LENGTH = 24;
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(20);
    private static final Duration RELAY_START = Duration.ofSeconds(60);
    private static final List<String> NO_OFFLOADS = List.of("tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");

    private final String serverNamespace;
    private final String clientNamespace;
    private final String relayNamespace;
    private final String offloadServerEnd;
    private final String kernelServerEnd;
    private final Optional<String> impairment;
    /** Every command that built the network, in order: the results record them. */
    private final List<String> commands = new ArrayList<>();
    /** The relay process of each path by its server end (none for a direct network). */
    private final Map<String, ManagedProcess> relays = new LinkedHashMap<>();

    private BenchNetwork(String tag, Optional<String> impairment) {
        this.serverNamespace = PREFIX + tag + "s";
        this.clientNamespace = PREFIX + tag + "c";
        this.relayNamespace = PREFIX + tag + "r";
        this.offloadServerEnd = PREFIX + tag + "o0";
        this.kernelServerEnd = PREFIX + tag + "k0";
        this.impairment = impairment;
    }

    /** Each path one veth pair; needs root, {@code ip} and {@code ethtool}. */
    static BenchNetwork direct() throws IOException, InterruptedException {
        return create(Optional.empty());
    }

    /**
     * Each path through a relay that impairs both directions as {@code impairment} says (the relay's
     * syntax, e.g. {@code delay-ms=2,limit=8192}).
     */
    static BenchNetwork relayed(String impairment) throws IOException, InterruptedException {
        return create(Optional.of(impairment));
    }

    private static BenchNetwork create(Optional<String> impairment) throws IOException, InterruptedException {
        if (((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) != 0) {
            throw new IOException("the offload benchmark creates network namespaces and veth pairs: run it as root");
        }
        Tools.require("ip", "apt-get install iproute2");
        Tools.require("ethtool", "apt-get install ethtool");
        String tag = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        BenchNetwork network = new BenchNetwork(tag, impairment);
        try {
            network.build();
        } catch (IOException | InterruptedException | RuntimeException e) {
            network.close();
            throw e;
        }
        return network;
    }

    private void build() throws IOException, InterruptedException {
        List<String> namespaces = namespaces();
        for (String ns : namespaces) {
            run("ip", "netns", "add", ns);
            run(in(ns, "ip", "link", "set", "lo", "up"));
        }
        path(offloadServerEnd, null, OFFLOAD_CLIENT);
        path(kernelServerEnd, KERNEL_SERVER, KERNEL_CLIENT);
    }

    private List<String> namespaces() {
        return impairment.isPresent() ? List.of(serverNamespace, clientNamespace, relayNamespace)
                : List.of(serverNamespace, clientNamespace);
    }

    /**
     * The path from {@code serverEnd} (server namespace, {@code serverAddress} or none) to its client end
     * (client namespace): the pair {@code X0}/{@code X1}, or {@code X0}/{@code Xa} and {@code Xb}/{@code X1}
     * with the relay between {@code Xa} and {@code Xb}.
     */
    private void path(String serverEnd, String serverAddress, String clientAddress) throws IOException, InterruptedException {
        String base = serverEnd.substring(0, serverEnd.length() - 1);
        String clientEnd = base + "1";
        if (impairment.isEmpty()) {
            run("ip", "link", "add", serverEnd, "netns", serverNamespace, "type", "veth", "peer", "name", clientEnd, "netns",
                    clientNamespace);
        } else {
            String relayServerSide = base + "a";
            String relayClientSide = base + "b";
            run("ip", "link", "add", serverEnd, "netns", serverNamespace, "type", "veth", "peer", "name", relayServerSide,
                    "netns", relayNamespace);
            run("ip", "link", "add", relayClientSide, "netns", relayNamespace, "type", "veth", "peer", "name", clientEnd,
                    "netns", clientNamespace);
            for (String end : List.of(relayServerSide, relayClientSide)) {
                run(in(relayNamespace, "sysctl", "-q", "-w", "net.ipv6.conf." + end + ".disable_ipv6=1"));
                run(in(relayNamespace, concat(List.of("ethtool", "-K", end), NO_OFFLOADS)));
                run(in(relayNamespace, "ip", "link", "set", end, "promisc", "on", "up"));
            }
        }
        run(in(serverNamespace, "sysctl", "-q", "-w", "net.ipv6.conf." + serverEnd + ".disable_ipv6=1"));
        run(in(serverNamespace, concat(List.of("ethtool", "-K", serverEnd), NO_OFFLOADS)));
        run(in(clientNamespace, concat(List.of("ethtool", "-K", clientEnd), NO_OFFLOADS)));
        if (serverAddress != null) {
            run(in(serverNamespace, "ip", "addr", "add", serverAddress + "/" + PREFIX_LENGTH, "dev", serverEnd));
        }
        run(in(serverNamespace, "ip", "link", "set", serverEnd, "up"));
        run(in(clientNamespace, "ip", "addr", "add", clientAddress + "/" + PREFIX_LENGTH, "dev", clientEnd));
        run(in(clientNamespace, "ip", "link", "set", clientEnd, "up"));
        if (impairment.isPresent()) {
            startRelay(serverEnd, base + "a", base + "b");
        }
    }

    /** The relay of one path, as a process of its own in the relay namespace, from the harness's class path. */
    private void startRelay(String serverEnd, String a, String b) throws IOException, InterruptedException {
        List<String> command = in(relayNamespace, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx64m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ImpairmentRelay.class.getName(), "--a", a, "--b", b, "--seed", "1", "--a-to-b", impairment.get(), "--b-to-a",
                impairment.get());
        commands.add(String.join(" ", command).replace(System.getProperty("java.class.path"), "CLASSPATH"));
        ManagedProcess relay = ManagedProcess.start("relay " + a + "-" + b, new ProcessBuilder(command));
        relays.put(serverEnd, relay);
        if (relay.awaitLine("ready"::equals, RELAY_START).isEmpty()) {
            throw new IOException("the relay did not start: " + String.join(" | ", relay.output()));
        }
    }

    /**
     * The relays' counters now, by path (the server end's name) and direction ({@code a-to-b} is towards the
     * client): frames received, forwarded, dropped on purpose or because the queue was full, ...
     */
    Map<String, List<String>> relayCounters() throws IOException, InterruptedException {
        Map<String, List<String>> counters = new LinkedHashMap<>();
        for (Map.Entry<String, ManagedProcess> entry : relays.entrySet()) {
            ManagedProcess relay = entry.getValue();
            long before = relay.lineCount();
            relay.writeLine("counters");
            if (!relay.awaitLineCount(before + 2, Duration.ofSeconds(10))) {
                throw new IOException("the relay of " + entry.getKey() + " did not answer: " + String.join(" | ", relay.output()));
            }
            List<String> lines = new ArrayList<>();
            for (String direction : List.of("a-to-b ", "b-to-a ")) {
                relay.output().reversed().stream().filter(l -> l.startsWith(direction)).findFirst().ifPresent(lines::add);
            }
            counters.put(entry.getKey(), lines);
        }
        return counters;
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

    /**
     * Stops the relays, then deletes the namespaces; deleting a namespace deletes the veth ends in it, and
     * with them their peers.
     */
    @Override
    public void close() {
        relays.values().forEach(ManagedProcess::close);
        for (String ns : namespaces()) {
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
