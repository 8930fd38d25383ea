// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network of {@code layerstore demo --offload}: a veth pair whose one end is the offload port's link
 * (no IP address, IPv6 off, so the kernel leaves it to the user-space stack) and whose other end is the
 * client's, alone in a network namespace at {@value #CLIENT_ADDRESS}/24; the stack takes
 * {@value #STACK_ADDRESS}/24. Checksum and segmentation offloads are off on both ends, so the frames
 * on the pair are whole frames with their checksums filled in. Addresses from 192.0.2.0/24 (RFC 5737):
 * they exist only inside this pair. Needs root (CAP_NET_ADMIN for the namespace and the pair); {@link
 * #close} deletes both.
 */
public final class OffloadDemoNetwork implements AutoCloseable {

    public static final String CLIENT_ADDRESS = "192.0.2.1";
    public static final String STACK_ADDRESS = "192.0.2.2";
    public static final int PREFIX_LENGTH = 24;
    /** The names {@code demo --offload} uses. */
    public static final String DEMO_NAME = "lsdemo";

    private static final Logger LOG = LoggerFactory.getLogger(OffloadDemoNetwork.class);
    private static final int COMMAND_SECONDS = 10;

    private final String namespace;
    private final String stackEnd;
    private final String clientEnd;

    private OffloadDemoNetwork(String name) {
        this.namespace = name;
        this.stackEnd = name + "0";
        this.clientEnd = name + "1";
    }

    /**
     * Creates namespace {@code name} and the pair {@code name0} (here) / {@code name1} (in the namespace),
     * replacing ones of those names left by a run that was killed.
     *
     * @throws IOException without root, without {@code ip} or {@code ethtool}, or when a command fails
     */
    public static OffloadDemoNetwork create(String name) throws IOException {
        if (!isRoot()) {
            throw new IOException("--offload creates a network namespace and a veth pair: run it as root (sudo)");
        }
        OffloadDemoNetwork n = new OffloadDemoNetwork(name);
        n.remove();
        try {
            n.setUp();
        } catch (IOException | RuntimeException e) {
            n.remove();
            throw e;
        }
        return n;
    }

    private static boolean isRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    private void setUp() throws IOException {
        run("ip", "netns", "add", namespace);
        run("ip", "link", "add", stackEnd, "type", "veth", "peer", "name", clientEnd);
        run("ip", "link", "set", clientEnd, "netns", namespace);
        Files.writeString(Path.of("/proc/sys/net/ipv6/conf", stackEnd, "disable_ipv6"), "1");
        run("ethtool", "-K", stackEnd, "tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");
        run("ip", "link", "set", stackEnd, "up");
        inClient("ethtool", "-K", clientEnd, "tso", "off", "gso", "off", "gro", "off", "tx", "off", "rx", "off");
        inClient("ip", "addr", "add", CLIENT_ADDRESS + "/" + PREFIX_LENGTH, "dev", clientEnd);
        inClient("ip", "link", "set", clientEnd, "up");
        inClient("ip", "link", "set", "lo", "up");
    }

    /** The namespace of the client side. */
    public String namespace() {
        return namespace;
    }

    /** The interface the offload port's stack owns. */
    public String stackInterface() {
        return stackEnd;
    }

    /** The interface inside the namespace. */
    public String clientInterface() {
        return clientEnd;
    }

    /** {@code command} as it runs inside the client's namespace. */
    public List<String> inNamespace(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(command));
        return full;
    }

    private void inClient(String... command) throws IOException {
        run(inNamespace(command).toArray(String[]::new));
    }

    private static void run(String... command) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run " + command[0] + " (is it installed?): " + e.getMessage(), e);
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within " + COMMAND_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted running " + String.join(" ", command), e);
        }
        if (p.exitValue() != 0) {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + output);
        }
    }

    /** Deletes the pair (deleting the stack's end deletes both) and then the namespace, when they exist. */
    private void remove() {
        if (Files.exists(Path.of("/sys/class/net", stackEnd))) {
            attempt("ip", "link", "del", stackEnd);
        }
        if (Files.exists(Path.of("/run/netns", namespace))) {
            attempt("ip", "netns", "del", namespace);
        }
    }

    private static void attempt(String... command) {
        try {
            run(command);
        } catch (IOException e) {
            LOG.warn("removing the demo network: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        remove();
    }
}
