// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import java.util.concurrent.TimeUnit;

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
            Litmus.assertEverySuitePasses(List.of(), url, dir, deadProperties + "/" + uploadEngine);
        }
    }
}
