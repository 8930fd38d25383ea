// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.layerstore.services.http.TestServers;

/** Runs Debian's litmus against a share and asserts that every test of every suite passed, by its summary lines. */
public final class Litmus {

    private static final List<String> SUITES = List.of("basic", "copymove", "props", "locks", "http");
    private static final Pattern SUMMARY = Pattern.compile(
            "<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed\\. ([\\d.]+)%");

    private Litmus() {
    }

    /**
     * Runs litmus on {@code url} as {@link TestServers#USER}, in {@code dir}, after {@code prefix} (e.g. {@code ip
     * netns exec NS}); prints each suite's summary under {@code label}.
     */
    public static void assertEverySuitePasses(List<String> prefix, String url, Path dir, String label) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("litmus", url, TestServers.USER, TestServers.PASSWORD));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TESTS", String.join(" ", SUITES));
        Process litmus = pb.start();
        String output = new String(litmus.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(litmus.waitFor(4, TimeUnit.MINUTES), output);

        List<String> seen = new ArrayList<>();
        Matcher m = SUMMARY.matcher(output);
        while (m.find()) {
            seen.add(m.group(1));
            assertEquals("0", m.group(4), "suite " + m.group(1) + " failed tests:\n" + output);
            assertEquals(m.group(2), m.group(3), "suite " + m.group(1) + ":\n" + output);
            System.out.println(label + ": " + m.group());
        }
        assertEquals(SUITES, seen, output);
        assertTrue(!output.contains("WARNING"), "litmus warned:\n" + output);
        assertEquals(0, litmus.exitValue(), output);
    }
}
