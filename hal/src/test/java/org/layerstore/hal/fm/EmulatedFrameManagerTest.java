// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.Libc;

/** The contract against the emulated backend, plus what only the emulator has: its pcap wire. */
class EmulatedFrameManagerTest extends FrameManagerContract {

    @Override
    FrameManager open(FrameManagerConfig config) {
        BackendAvailability availability = EmulatedFrameManager.availability();
        assumeTrue(availability.available(), availability.reason());
        return EmulatedFrameManager.open(config);
    }

    @Test
    void reportsItsBackendName() {
        assertEquals("emulated", fm.backend());
    }

    @Test
    void tsharkDecodesThePcapAsEthernetIpv4TcpWithGoodChecksums() throws IOException, InterruptedException {
        Path tshark = Path.of("/usr/bin/tshark");
        assumeTrue(Files.isExecutable(tshark), "tshark is not installed (test-bench/setup/debian-packages.txt lists it)");
        Path capture = dir.resolve("wire.pcap");
        int pcap = Libc.open(capture.toString(), libc_h.O_WRONLY() | libc_h.O_CREAT() | libc_h.O_CLOEXEC());
        try {
            fm.bindPort(PORT, TxTarget.pcap(pcap));
            byte[] first = bytes(700, 11);
            contiguousSegment(0, 1000, first);
            assertEquals(0, send());
            contiguousSegment(0, 1700, bytes(300, 12));
            assertEquals(0, send());
        } finally {
            Libc.close(pcap);
        }
        Process p = new ProcessBuilder(tshark.toString(), "-r", capture.toString(), "-o", "tcp.check_checksum:TRUE",
                "-o", "ip.check_checksum:TRUE", "-T", "fields", "-e", "eth.type", "-e", "ip.src", "-e",
                "ip.checksum.status", "-e", "tcp.seq_raw", "-e", "tcp.len", "-e", "tcp.checksum.status")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "tshark did not finish in 60 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.startsWith("0x0800")).toList();
        // Wireshark checksum status 1 is "good" (0 bad, 2 unverified).
        assertEquals(List.of("0x0800\t10.0.0.1\t1\t1000\t700\t1", "0x0800\t10.0.0.1\t1\t1700\t300\t1"), lines, out);
    }
}
