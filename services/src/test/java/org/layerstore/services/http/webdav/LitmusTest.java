// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.TestServers;

/**
 * Debian's litmus, the WebDAV server test suite, against a share with authentication on: every test
 * of every suite must pass, judged by litmus's own summary lines.
 */
class LitmusTest {

    private static final List<String> SUITES = List.of("basic", "copymove", "props", "locks", "http");
    private static final Pattern SUMMARY = Pattern.compile(
            "<- summary for `(\\w+)': of (\\d+) tests run: (\\d+) passed, (\\d+) failed\\. ([\\d.]+)%");

    @TempDir
    Path dir;

    /**
     * Once per dead-property store (extended attributes, and the sidecar tree), and once with uploads set to
     * splice: every PUT then takes the connection's socket over and hands it back (litmus's small bodies
     * arrive with their headers, so there is nothing left to splice), between litmus's other requests on
     * kept-alive connections.
     */
    @ParameterizedTest
    @CsvSource({"xattr, auto", "sidecar, auto", "xattr, splice"})
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everySuitePassesWithAuthenticationOn(String deadProperties, String uploadEngine) throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        try (HttpFileServer server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback(),
                deadProperties, uploadEngine)) {
            String url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
            ProcessBuilder pb = new ProcessBuilder("litmus", url, TestServers.USER, TestServers.PASSWORD)
                    .directory(dir.toFile()).redirectErrorStream(true);
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
                System.out.println(deadProperties + "/" + uploadEngine + ": " + m.group());
            }
            assertEquals(SUITES, seen, output);
            assertTrue(!output.contains("WARNING"), "litmus warned:\n" + output);
            assertEquals(0, litmus.exitValue(), output);
        }
    }
}
