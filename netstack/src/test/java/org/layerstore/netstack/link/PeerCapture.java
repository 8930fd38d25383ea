// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * tshark capturing on the peer's end of a veth pair, and what it found: the kernel-peer tests' judge of
 * the wire itself (malformed frames, bad checksums, ACKs of unseen segments, the handshake's options).
 */
final class PeerCapture implements AutoCloseable {

    private final Path pcap;
    private final Process tshark;

    private PeerCapture(Path pcap, Process tshark) {
        this.pcap = pcap;
        this.tshark = tshark;
    }

    /** Starts tshark on {@code veth}'s peer end writing {@code pcap}, and waits until it really captures. */
    static PeerCapture start(VethPair veth, Path pcap, Path log) throws IOException, InterruptedException {
        Files.deleteIfExists(pcap);
        Files.createFile(pcap);
        Process tshark = new ProcessBuilder(veth.peerCommand("tshark", "-q", "-i", veth.peerEnd, "-w",
                pcap.toAbsolutePath().toString())).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PeerCapture capture = new PeerCapture(pcap, tshark);
        try {
            capture.awaitCapturing(veth, log);
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
    private void awaitCapturing(VethPair veth, Path log) throws IOException, InterruptedException {
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
            veth.attemptInPeer(5, "ping", "-c", "1", "-W", "1", VethPair.STACK_ADDRESS);
            Thread.sleep(200);
        }
    }

    /** Stops the capture, letting tshark write what it still holds. */
    void stop() throws InterruptedException {
        Thread.sleep(500);
        tshark.destroy();
        tshark.waitFor(10, TimeUnit.SECONDS);
    }

    /**
     * The frames tshark calls malformed, with a bad IPv4 or TCP checksum, an ACK of an unseen segment or
     * an error; empty when there are none. The body is random bytes: decoded as HTTP, tshark's HTTP
     * dissector sometimes takes a body segment for headers and calls it malformed, so {@code port}'s
     * payload is decoded as data: the wire is what is judged here.
     */
    String problems(int port) {
        return Commands.standardOutput(60, "tshark", "-r", pcap.toString(), "-d", "tcp.port==" + port + ",data",
                "-o", "tcp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE", "-Y",
                "_ws.malformed || ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                        + "tcp.analysis.ack_lost_segment || _ws.expert.severity == error").trim();
    }

    /** The SYN-ACK's MSS, window shift and timestamp value, tab-separated. */
    String synAckOptions() {
        return Commands.standardOutput(60, "tshark", "-r", pcap.toString(), "-Y",
                "tcp.flags.syn == 1 && tcp.flags.ack == 1", "-T", "fields", "-e", "tcp.options.mss_val", "-e",
                "tcp.options.wscale.shift", "-e", "tcp.options.timestamp.tsval").trim();
    }

    @Override
    public void close() {
        tshark.destroyForcibly();
    }
}
