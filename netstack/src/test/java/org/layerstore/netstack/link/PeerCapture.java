// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tshark capturing on the peer's end of a veth pair, and what it found: the kernel-peer tests' judge of
 * the wire itself (malformed frames, bad checksums, ACKs of unseen segments, the handshake's options).
 */
public final class PeerCapture implements AutoCloseable {

    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped from");

    private final Path pcap;
    private final Path log;
    private final String stackAddress;
    private final Process tshark;

    private PeerCapture(Path pcap, Path log, String stackAddress, Process tshark) {
        this.pcap = pcap;
        this.log = log;
        this.stackAddress = stackAddress;
        this.tshark = tshark;
    }

    /** A download that a capture judges. */
    @FunctionalInterface
    interface Download {
        void run() throws Exception;
    }

    /**
     * Runs {@code download} under a capture on {@code veth}'s peer end, kept as {@code target/pcapName} to read
     * when the test fails, and asserts that tshark found nothing wrong on {@code port} and that the SYN-ACK
     * offered MSS 1460 and window shift 3; without tshark, only runs the download.
     */
    static void assertCleanDownload(VethPair veth, String pcapName, Path log, int port, Download download)
            throws Exception {
        if (!Commands.installed("tshark")) {
            download.run();
            return;
        }
        try (PeerCapture capture = start(veth, Path.of("target", pcapName), log)) {
            download.run();
            capture.stop();
            assertEquals("", capture.problems(port), "tshark found malformed frames, bad checksums or unseen ACKs");
            String synAck = capture.synAckOptions();
            System.out.println("SYN-ACK options (mss, wscale, tsval): " + synAck);
            assertTrue(synAck.startsWith("1460\t3\t"), "SYN-ACK options: " + synAck);
        }
    }

    /** Starts tshark on {@code veth}'s peer end writing {@code pcap}, and waits until it really captures. */
    static PeerCapture start(VethPair veth, Path pcap, Path log) throws IOException, InterruptedException {
        return start(List.of(veth.peerCommand()), veth.peerEnd, VethPair.STACK_ADDRESS, pcap, log);
    }

    /**
     * Starts tshark on {@code peerInterface} in the namespace that {@code inNamespace} (a command prefix such
     * as {@code ip netns exec NS}) enters, writing {@code pcap} with {@code tsharkOptions} besides (a snap
     * length {@code -s}, a count {@code -c}), and waits until it really captures, pinging {@code stackAddress}.
     */
    public static PeerCapture start(List<String> inNamespace, String peerInterface, String stackAddress, Path pcap,
            Path log, String... tsharkOptions) throws IOException, InterruptedException {
        Files.deleteIfExists(pcap);
        Files.createFile(pcap);
        List<String> command = new ArrayList<>(inNamespace);
        command.addAll(List.of("tshark", "-q", "-i", peerInterface, "-w", pcap.toAbsolutePath().toString()));
        command.addAll(List.of(tsharkOptions));
        Process tshark = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerCapture capture = new PeerCapture(pcap, log, stackAddress, tshark);
        try {
            capture.awaitCapturing(inNamespace, stackAddress, log);
        } catch (IOException | InterruptedException | RuntimeException e) {
            capture.close();
            throw e;
        }
        return capture;
    }

    /**
     * Waits until tshark really captures: "Capturing on" comes before the first packet is taken, so with
     * ping installed the peer pings the stack until the capture file grows; without it, a pause.
     */
    private void awaitCapturing(List<String> inNamespace, String stackAddress, Path log)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!(Files.exists(log) && Files.readString(log).contains("Capturing on"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tshark did not start capturing: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        if (!Commands.installed("ping")) {
            Thread.sleep(2000);
            return;
        }
        long empty = Files.size(pcap);
        while (Files.size(pcap) == empty) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tshark captured nothing: " + Files.readString(log));
            }
            List<String> ping = new ArrayList<>(inNamespace);
            ping.addAll(List.of("ping", "-c", "1", "-W", "1", stackAddress));
            Commands.attempt(5, ping.toArray(String[]::new));
            Thread.sleep(200);
        }
    }

    /**
     * Frames the capture lost (tshark's closing "N packets dropped from IF"), after {@link #stop}; 0 when
     * it reported none. A capture that lost frames cannot judge "ACKed unseen segment".
     */
    public long droppedFrames() throws IOException {
        long dropped = 0;
        for (String line : Files.readAllLines(log)) {
            Matcher m = DROPPED.matcher(line);
            if (m.find()) {
                dropped += Long.parseLong(m.group(1));
            }
        }
        return dropped;
    }

    /** Stops the capture, letting tshark write what it still holds. */
    public void stop() throws InterruptedException {
        Thread.sleep(500);
        tshark.destroy();
        tshark.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The frames tshark calls malformed, with a bad IPv4 or TCP checksum, an ACK of an unseen segment or
     * an error; empty when there are none. The body is random bytes: decoded as HTTP, tshark's HTTP
     * dissector sometimes takes a body segment for headers and calls it malformed, so {@code port}'s
     * payload is decoded as data: the wire is what is judged here. In a capture cut to a snap length the
     * TCP checksums cannot be verified (tshark leaves them unverified); the IPv4 header checksums still are.
     * The peer kernel's own checksum 0xFFFF (the other zero of one's complement, RFC 1624 §3, which tshark
     * calls an error) is not the stack's doing and not judged.
     */
    public String problems(int port) {
        return problems(port, true);
    }

    /** {@link #problems(int)}, leaving out the ACKs of unseen segments unless {@code unseenAcks}. */
    public String problems(int port, boolean unseenAcks) {
        return Commands.standardOutput(300, "tshark", "-r", pcap.toString(), "-d", "tcp.port==" + port + ",data",
                "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-Y",
                "(_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                        + (unseenAcks ? "tcp.analysis.ack_lost_segment || " : "") + "_ws.expert.severity == error)"
                        + " && !(tcp.checksum.ffff && ip.src != " + stackAddress + ")").trim();
    }

    /** The SYN-ACK's MSS, window shift and timestamp value, tab-separated. */
    public String synAckOptions() {
        return Commands.standardOutput(60, "tshark", "-r", pcap.toString(), "-Y",
                "tcp.flags.syn == 1 && tcp.flags.ack == 1", "-T", "fields", "-e", "tcp.options.mss_val", "-e",
                "tcp.options.wscale.shift", "-e", "tcp.options.timestamp.tsval").trim();
    }

    /**
     * The handshake's SYN and SYN-ACK as tshark reads them, one line each: the ACK flag, the MSS, the window
     * shift, the option kinds (2 MSS, 3 window scale, 4 SACK-permitted, 8 timestamps) and the timestamp value.
     */
    public String handshakeOptions() {
        return Commands.standardOutput(60, "tshark", "-r", pcap.toString(), "-Y", "tcp.flags.syn == 1", "-T", "fields",
                "-e", "tcp.flags.ack", "-e", "tcp.options.mss_val", "-e", "tcp.options.wscale.shift", "-e",
                "tcp.option_kind", "-e", "tcp.options.timestamp.tsval").trim();
    }

    @Override
    public void close() {
        tshark.destroyForcibly();
    }
}
