// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.relay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.layerstore.netstack.link.Commands;
import org.layerstore.netstack.link.VethPair;

/**
 * The impaired network of one test: the stack's end of a veth pair here (no IP address, IPv6 off), its
 * other end and one end of a second pair in a relay namespace where {@link ImpairmentRelay} runs as a
 * process of its own, and the second pair's other end in a client namespace with {@value #CLIENT_ADDRESS}/24
 * (the stack takes {@value #STACK_ADDRESS}). TSO, GSO, GRO and checksum offloads are off on all four ends,
 * so the relay sees whole frames with their checksums filled. Names: {@code prefix} (at most four
 * letters) plus a random tag; {@link #close} stops the relay and deletes both namespaces and both pairs.
 *
 * <pre>
 * stack (root ns)  PREFIXtags ==veth== PREFIXtaga [relay ns: ImpairmentRelay] PREFIXtagb ==veth== PREFIXtagc (client ns)
 * </pre>
 */
public final class RelayNetwork implements AutoCloseable {

    public static final String CLIENT_ADDRESS = "192.0.2.1";
    public static final String STACK_ADDRESS = "192.0.2.2";
    public static final int PREFIX_LENGTH = 24;

    /** A direction through the relay. */
    public enum Direction {
        TO_CLIENT(ImpairmentRelay.A_TO_B), TO_STACK(ImpairmentRelay.B_TO_A);

        final String relayName;

        Direction(String relayName) {
            this.relayName = relayName;
        }
    }

    private static final int COMMAND_SECONDS = 10;

    private final String relayNamespace;
    private final String clientNamespace;
    private final String stackEnd;
    private final String relayStackSide;
    private final String relayClientSide;
    private final String clientEnd;
    private Process relay;
    private PrintStream relayIn;
    private BufferedReader relayOut;

    private RelayNetwork(String name) {
        relayNamespace = name + "-relay";
        clientNamespace = name + "-client";
        stackEnd = name + "s";
        relayStackSide = name + "a";
        relayClientSide = name + "b";
        clientEnd = name + "c";
    }

    /** Why this host cannot build the network (not root, no ip or ethtool), for a skip; null when it can. */
    public static String unavailableReason() {
        return VethPair.unavailableReason();
    }

    /** Builds the network and starts the relay with no impairment, from {@code seed}. */
    public static RelayNetwork create(String prefix, long seed) throws IOException {
        if (prefix.length() > 4) {
            throw new IllegalArgumentException("interface names have at most 15 characters: prefix " + prefix);
        }
        RelayNetwork n = new RelayNetwork(prefix + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
        try {
            n.setUp();
            n.startRelay(seed);
        } catch (IOException | RuntimeException e) {
            n.close();
            throw e;
        }
        return n;
    }

    private void setUp() throws IOException {
        Commands.run(COMMAND_SECONDS, "ip", "netns", "add", relayNamespace);
        Commands.run(COMMAND_SECONDS, "ip", "netns", "add", clientNamespace);
        Commands.run(COMMAND_SECONDS, "ip", "link", "add", stackEnd, "type", "veth", "peer", "name", relayStackSide,
                "netns", relayNamespace);
        Commands.run(COMMAND_SECONDS, "ip", "link", "add", clientEnd, "netns", clientNamespace, "type", "veth", "peer",
                "name", relayClientSide, "netns", relayNamespace);
        quiet(List.of(), stackEnd);
        quiet(relayCommand(), relayStackSide);
        quiet(relayCommand(), relayClientSide);
        offloadsOff(clientCommand(), clientEnd);
        Commands.run(COMMAND_SECONDS, command(clientCommand(), "ip", "addr", "add", CLIENT_ADDRESS + "/" + PREFIX_LENGTH,
                "dev", clientEnd));
        Commands.run(COMMAND_SECONDS, command(clientCommand(), "ip", "link", "set", clientEnd, "up"));
        Commands.run(COMMAND_SECONDS, command(clientCommand(), "ip", "link", "set", "lo", "up"));
    }

    /** An end without an IP address: IPv6 off (no DAD, no router solicitations), offloads off, promiscuous, up. */
    private void quiet(List<String> namespace, String end) {
        Commands.run(COMMAND_SECONDS, command(namespace, "sysctl", "-q", "-w", "net.ipv6.conf." + end + ".disable_ipv6=1"));
        offloadsOff(namespace, end);
        Commands.run(COMMAND_SECONDS, command(namespace, "ip", "link", "set", end, "promisc", "on", "up"));
    }

    private static void offloadsOff(List<String> namespace, String end) {
        Commands.run(COMMAND_SECONDS, command(namespace, "ethtool", "-K", end, "tso", "off", "gso", "off", "gro", "off",
                "tx", "off", "rx", "off"));
    }

    private void startRelay(long seed) throws IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        Path log = Path.of("target", relayNamespace + ".log");
        Files.createDirectories(log.getParent());
        relay = new ProcessBuilder(command(relayCommand(), java, "--enable-native-access=ALL-UNNAMED", "-Xmx64m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), ImpairmentRelay.class.getName(),
                "--a", relayStackSide, "--b", relayClientSide, "--seed", Long.toString(seed)))
                .redirectError(log.toFile()).start();
        relayIn = new PrintStream(relay.getOutputStream(), true, StandardCharsets.UTF_8);
        relayOut = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        // The relay prints "ready" or dies (its stderr, in the log, says why): readLine ends either way.
        String line = relayOut.readLine();
        if (!"ready".equals(line)) {
            throw new IOException("the relay did not start (" + line + "): " + Files.readString(log));
        }
    }

    /** Replaces what the relay does to {@code direction}'s frames. */
    public synchronized void impair(Direction direction, Impairment impairment) throws IOException {
        relayIn.println("impair " + direction.relayName + " " + impairment);
        String answer = relayOut.readLine();
        if (!"ok".equals(answer)) {
            throw new IOException("the relay refused " + impairment + ": " + answer);
        }
    }

    /** The relay's counters of {@code direction}, now. */
    public synchronized Map<RelayCounter, Long> counters(Direction direction) throws IOException {
        relayIn.println("counters");
        String first = relayOut.readLine();
        String second = relayOut.readLine();
        for (String line : new String[] {first, second}) {
            if (line != null && line.startsWith(direction.relayName + " ")) {
                return RelayCounters.parse(line.substring(direction.relayName.length() + 1));
            }
        }
        throw new IOException("the relay answered " + first + " / " + second);
    }

    public String stackInterface() {
        return stackEnd;
    }

    public String clientNamespace() {
        return clientNamespace;
    }

    public String clientInterface() {
        return clientEnd;
    }

    /** {@code program} and its arguments as they run in the client's namespace. */
    public String[] inClient(String... program) {
        return command(clientCommand(), program);
    }

    private List<String> clientCommand() {
        return List.of("ip", "netns", "exec", clientNamespace);
    }

    private List<String> relayCommand() {
        return List.of("ip", "netns", "exec", relayNamespace);
    }

    private static String[] command(List<String> prefix, String... program) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(List.of(program));
        return full.toArray(String[]::new);
    }

    /** Stops the relay (end of its input), then deletes the namespaces and the pairs. */
    @Override
    public void close() {
        if (relay != null) {
            relayIn.close();
            try {
                if (!relay.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                    relay.destroyForcibly().waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                relay.destroyForcibly();
            }
        }
        for (String namespace : new String[] {relayNamespace, clientNamespace}) {
            if (Files.exists(Path.of("/run/netns", namespace))) {
                attempt("ip", "netns", "del", namespace);
            }
        }
        if (Files.exists(Path.of("/sys/class/net", stackEnd))) {
            attempt("ip", "link", "del", stackEnd);
        }
    }

    private static void attempt(String... command) {
        try {
            Commands.run(COMMAND_SECONDS, command);
        } catch (IllegalStateException e) {
            System.err.println("removing the relay network: " + e.getMessage());
        }
    }
}
