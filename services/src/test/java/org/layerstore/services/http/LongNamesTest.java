// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Names and paths longer than the filesystem can hold, through curl: a name over NAME_MAX (255 bytes)
 * answers 400 and a path over PATH_MAX answers 414 for every method, nothing is created, and the log
 * gets one short WARN line, never an ERROR carrying the whole path. A name of exactly 255 bytes works.
 */
class LongNamesTest {

    @TempDir
    Path dir;

    private Path share;
    private HttpFileServer server;
    private Curl curl;
    private String url;
    private final Logger httpLog = (Logger) LoggerFactory.getLogger("org.layerstore.services.http");
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        lines.start();
        httpLog.addAppender(lines);
    }

    @AfterEach
    void stop() {
        httpLog.detachAppender(lines);
        server.close();
    }

    @Test
    void aNameOverNameMaxIs400ForEveryMethodAndCreatesNothing() throws Exception {
        Path body = Files.writeString(dir.resolve("body.txt"), "body");
        String name = "n".repeat(300);
        assertEquals(400, curl.run(url + name).status());
        assertEquals(400, curl.run("-T", body.toString(), url + name).status());
        assertEquals(400, curl.run("-X", "MKCOL", url + name + "/").status());
        assertEquals(400, curl.run("-X", "PROPFIND", "-H", "Depth: 0", url + name).status());
        assertEquals(400, curl.run("-T", body.toString(), url + "sub-" + name.substring(4) + "/x.txt").status());
        Files.writeString(share.resolve("a.txt"), "a");
        assertEquals(400, curl.run("-X", "COPY", "-H", "Destination: " + url + name, url + "a.txt").status());
        try (var listed = Files.list(share)) {
            assertEquals(List.of(share.resolve("a.txt")), listed.toList());
        }
        assertShortWarningsOnly();
    }

    @Test
    void aPathOverPathMaxIs414AndCreatesNothing() throws Exception {
        Path body = Files.writeString(dir.resolve("body.txt"), "body");
        String deep = (("d".repeat(200) + "/").repeat(21)) + "f.txt"; // 4,226 bytes: under the request-line limit
        assertEquals(414, curl.run(url + deep).status());
        assertEquals(414, curl.run("-T", body.toString(), url + deep).status());
        assertEquals(414, curl.run("-X", "MKCOL", url + deep + "/").status());
        try (var listed = Files.list(share)) {
            assertEquals(List.of(), listed.toList());
        }
        assertShortWarningsOnly();
    }

    @Test
    void aNameOfExactlyNameMaxBytesIsStoredAndServed() throws Exception {
        String name = "é".repeat(127) + "x"; // 255 bytes in UTF-8
        Path body = Files.writeString(dir.resolve("body.txt"), "longest name");
        assertEquals(201, curl.run("-T", body.toString(), url + PathSegments.encode(name)).status());
        assertEquals("longest name", curl.run(url + PathSegments.encode(name)).text());
        assertTrue(Files.exists(share.resolve(name)));
    }

    private void assertShortWarningsOnly() {
        List<ILoggingEvent> events = List.copyOf(lines.list);
        assertFalse(events.isEmpty(), "the refusals are logged");
        for (ILoggingEvent e : events) {
            assertFalse(e.getLevel().isGreaterOrEqual(Level.ERROR), e.getFormattedMessage());
            assertTrue(e.getFormattedMessage().length() < 300, e.getFormattedMessage());
        }
    }
}
