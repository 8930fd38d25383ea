// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Assumptions;
import org.layerstore.services.demo.OffloadDemoNetwork;

/** The offload port's network for one test class (names: a prefix plus a random tag); skips without root or tools. */
public final class TestOffloadNetworks {

    private TestOffloadNetworks() {
    }

    /** A new veth pair and client namespace named {@code lsnt...}, or the test is skipped with the reason. */
    public static OffloadDemoNetwork create() throws IOException {
        return create("lsnt");
    }

    /** A new veth pair and client namespace named {@code prefix} plus a random tag, or the test is skipped. */
    public static OffloadDemoNetwork create(String prefix) throws IOException {
        Assumptions.assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0,
                "needs root: the test creates a network namespace, a veth pair and an AF_PACKET socket");
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/ethtool", "/usr/bin/curl")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), "needs " + tool);
        }
        return OffloadDemoNetwork.create(prefix + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt()));
    }
}
