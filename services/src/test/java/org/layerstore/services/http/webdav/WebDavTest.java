// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.http.Curl;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.TestServers;

/** WebDAV behaviour litmus does not cover: persistence, depth limits, hostile XML, response bounds. */
class WebDavTest {

    private static final String SET_COLOR = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/ns"><D:set><D:prop>
            <Z:color xml:lang="en">blue <Z:shade>dark</Z:shade></Z:color></D:prop></D:set></D:propertyupdate>""";
    private static final String GET_COLOR = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:propfind xmlns:D="DAV:"><D:prop><Q:color xmlns:Q="http://example.com/ns"/></D:prop></D:propfind>""";

    @TempDir
    Path dir;

    private Path share;
    private Path users;
    private HttpFileServer server;
    private Curl curl;
    private String url;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        users = TestServers.usersFile(dir);
        restart(LimitSettings.defaults());
    }

    private void restart(LimitSettings limits) throws Exception {
        if (server != null) {
            server.close();
        }
        server = TestServers.writable(share, users, TestServers.loopback().withLimits(limits));
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
    }

    /** Restarts the server with its share's dead properties kept by {@code store}. */
    private void restartWithStore(String store) throws Exception {
        server.close();
        server = TestServers.writable(share, users, TestServers.loopback(), store);
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
    }

    /** With {@code store} keeping dead properties: a.txt, its colour set by PROPPATCH. */
    private void colourFileWithStore(String store) throws Exception {
        restartWithStore(store);
        Files.writeString(share.resolve("a.txt"), "a");
        assertEquals(207, dav("PROPPATCH", "a.txt", SET_COLOR).status());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Curl.Response dav(String method, String target, String body, String... headers) throws Exception {
        String[] args = new String[7 + headers.length * 2];
        int i = 0;
        args[i++] = "-X";
        args[i++] = method;
        for (String h : headers) {
            args[i++] = "-H";
            args[i++] = h;
        }
        args[i++] = "-H";
        args[i++] = "Content-Type: application/xml";
        args[i++] = "--data-binary";
        args[i++] = body;
        args[i] = url + target;
        return curl.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xattr", "sidecar"})
    void deadPropertiesSurviveARestartAMoveAndAnUpload(String store) throws Exception {
        colourFileWithStore(store);
        restartWithStore(store);
        Curl.Response r = dav("PROPFIND", "a.txt", GET_COLOR, "Depth: 0");
        assertEquals(207, r.status());
        assertTrue(r.text().contains("<Z:color xmlns:Z=\"http://example.com/ns\" xml:lang=\"en\">blue <Z:shade>dark</Z:shade></Z:color>"),
                r.text());
        assertEquals(201, curl.run("-X", "MOVE", "-H", "Destination: " + url + "b.txt", url + "a.txt").status());
        assertTrue(dav("PROPFIND", "b.txt", GET_COLOR, "Depth: 0").text().contains(">blue <"));
        assertEquals(204, curl.run("-X", "PUT", "--data-binary", "new content", url + "b.txt").status());
        assertTrue(dav("PROPFIND", "b.txt", GET_COLOR, "Depth: 0").text().contains(">blue <"));
        assertTrue(dav("PROPFIND", "a.txt", GET_COLOR, "Depth: 0").status() == 404);
        assertEquals(201, curl.run("-X", "COPY", "-H", "Destination: " + url + "c.txt", url + "b.txt").status());
        assertTrue(dav("PROPFIND", "c.txt", GET_COLOR, "Depth: 0").text().contains(">blue <"));
        assertEquals(204, curl.run("-X", "DELETE", url + "c.txt").status());
        Files.writeString(share.resolve("c.txt"), "recreated behind the server's back");
        assertTrue(dav("PROPFIND", "c.txt", GET_COLOR, "Depth: 0").text().contains("404 Not Found"));
        String listing = dav("PROPFIND", "", "", "Depth: 1").text();
        assertTrue(!listing.contains(".layerstore"), listing);
        assertEquals(store.equals("sidecar"), Files.isDirectory(share.resolve(".layerstore-props")));
    }

    /**
     * A 900 KB property value (under the 1 MiB XML body limit) does not fit either store: PROPPATCH answers
     * 207 with 507 for that property (RFC 4918 9.2.1), and the properties already set are untouched.
     */
    @ParameterizedTest
    @ValueSource(strings = {"xattr", "sidecar"})
    void aPropertyTooBigForTheStoreIs507AndChangesNothing(String store) throws Exception {
        colourFileWithStore(store);
        Path big = Files.writeString(dir.resolve("big.xml"), """
                <?xml version="1.0" encoding="utf-8"?>
                <D:propertyupdate xmlns:D="DAV:" xmlns:Z="http://example.com/ns"><D:set><D:prop>
                <Z:big>%s</Z:big></D:prop></D:set></D:propertyupdate>""".formatted("v".repeat(900_000)));
        Curl.Response r = curl.run("-X", "PROPPATCH", "-H", "Content-Type: application/xml", "--data-binary",
                "@" + big, url + "a.txt");
        assertEquals(207, r.status(), r.text());
        assertTrue(r.text().contains("<D:status>HTTP/1.1 507 Insufficient Storage</D:status>"), r.text());
        assertTrue(dav("PROPFIND", "a.txt", GET_COLOR, "Depth: 0").text().contains(">blue <"));
    }

    @Test
    void depthInfinityIsRefusedWithTheFiniteDepthPrecondition() throws Exception {
        for (String depth : new String[] {"Depth: infinity", "X-No-Depth: 1"}) {
            Curl.Response r = dav("PROPFIND", "", "", depth);
            assertEquals(403, r.status(), depth);
            assertTrue(r.text().contains("<D:propfind-finite-depth/>"), r.text());
        }
        assertEquals(207, dav("PROPFIND", "", "", "Depth: 1").status());
    }

    @Test
    void externalEntitiesAndDoctypesAreRefused() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file://" + dir.resolve("secret.txt")
                + "\">]><D:propfind xmlns:D=\"DAV:\"><D:prop><D:x>&x;</D:x></D:prop></D:propfind>";
        Curl.Response r = dav("PROPFIND", "", xxe, "Depth: 0");
        assertEquals(400, r.status());
        assertFalse(r.text().contains("TOP-SECRET"));
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
                + "<D:propertyupdate xmlns:D=\"DAV:\"><D:set><D:prop><Z:z xmlns:Z=\"z\">&b;</Z:z></D:prop></D:set>"
                + "</D:propertyupdate>";
        Files.writeString(share.resolve("t.txt"), "t");
        assertEquals(400, dav("PROPPATCH", "t.txt", bomb).status());
    }

    @Test
    void propfindResponsesAreBounded() throws Exception {
        for (int i = 0; i < 20; i++) {
            Files.writeString(share.resolve("f" + i), "x");
        }
        restart(new LimitSettings(null, null, null, null, null, null, null, 10, null, null, null));
        Curl.Response tooMany = dav("PROPFIND", "", "", "Depth: 1");
        assertEquals(507, tooMany.status());
        assertEquals(207, dav("PROPFIND", "f1", "", "Depth: 0").status());
        restart(new LimitSettings(null, null, null, null, null, null, null, null, 100, null, null));
        assertEquals(507, dav("PROPFIND", "f1", "", "Depth: 0").status());
        assertEquals(207, dav("PROPFIND", "", "", "Depth: 1").status(), "a streamed listing is not built whole");
    }

    @Test
    void foldersReportFreeAndUsedSpaceWhenAsked() throws Exception {
        String quota = "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:quota-available-bytes/>"
                + "<D:quota-used-bytes/></D:prop></D:propfind>";
        Curl.Response r = dav("PROPFIND", "", quota, "Depth: 0");
        assertEquals(207, r.status());
        long free = Files.getFileStore(share).getUsableSpace();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<D:quota-available-bytes>(\\d+)</").matcher(r.text());
        assertTrue(m.find(), r.text());
        assertTrue(Math.abs(Long.parseLong(m.group(1)) - free) < (64L << 20), m.group(1) + " vs " + free);
        assertTrue(r.text().contains("<D:quota-used-bytes>"), r.text());
        assertFalse(dav("PROPFIND", "", "", "Depth: 0").text().contains("quota"), "not part of allprop");
    }

    @Test
    void xmlBodiesOverTheLimitAre413() throws Exception {
        restart(new LimitSettings(null, null, null, 100, null, null, null, null, null, null, null));
        assertEquals(413, dav("PROPFIND", "", GET_COLOR, "Depth: 0").status());
    }

    @Test
    void copyAndMoveStayInTheirShareAndHonourOverwrite() throws Exception {
        Files.writeString(share.resolve("a.txt"), "a");
        Files.writeString(share.resolve("b.txt"), "b");
        assertEquals(412, curl.run("-X", "COPY", "-H", "Destination: " + url + "b.txt", "-H", "Overwrite: F",
                url + "a.txt").status());
        assertEquals(204, curl.run("-X", "COPY", "-H", "Destination: " + url + "b.txt", url + "a.txt").status());
        assertEquals("a", Files.readString(share.resolve("b.txt")));
        assertEquals(502, curl.run("-X", "MOVE", "-H", "Destination: /no-such-share/a.txt", url + "a.txt").status());
        assertEquals(409, curl.run("-X", "MOVE", "-H", "Destination: " + url + "no/such/a.txt", url + "a.txt").status());
        assertTrue(Files.exists(share.resolve("a.txt")));
    }
}
