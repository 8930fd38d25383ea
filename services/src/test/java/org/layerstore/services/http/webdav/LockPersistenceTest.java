// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.BoardDatapath;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.Curl;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.HttpStats;
import org.layerstore.services.http.TestServers;
import org.layerstore.services.telemetry.TelemetryEvents;

/**
 * WebDAV locks across a real restart of the server on the same state directory: a granted token still
 * unlocks its file, the file is still locked against everyone else, an UNLOCK is remembered, a lock that
 * expired meanwhile is gone, and an unreadable lock file is set aside without stopping the server.
 */
class LockPersistenceTest {

    private static final String LOCK_BODY = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:lockinfo xmlns:D="DAV:"><D:lockscope><D:exclusive/></D:lockscope><D:locktype><D:write/></D:locktype>
            <D:owner>lock-persistence-test</D:owner></D:lockinfo>""";

    @TempDir
    Path dir;

    private Path share;
    private Path state;
    private Path users;
    private TransmitEngines engines;
    private HttpFileServer server;
    private Curl curl;
    private String url;

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        state = dir.resolve("state");
        users = TestServers.usersFile(dir);
        engines = TransmitEngines.standard(BoardDatapath.builtIn("ls1046ardb"));
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        restart();
    }

    /** Stops the server, if one runs, and starts a new one on the same share and state directory. */
    private void restart() throws Exception {
        if (server != null) {
            server.close();
        }
        server = HttpFileServer.start(TestServers.loopback(), new AuthSettings(users, null, true),
                List.of(new ShareSettings("files", share, false)), new HttpStats(), List.of(), engines,
                LockManager.persistent(state), TelemetryEvents.NONE);
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String lock(String name, String timeout) throws Exception {
        Curl.Response r = curl.run("-X", "LOCK", "-H", "Timeout: " + timeout, "-H", "Content-Type: application/xml",
                "--data-binary", LOCK_BODY, url + name);
        assertEquals(200, r.status(), r.text());
        String token = r.header("Lock-Token");
        assertNotNull(token, "LOCK answered a Lock-Token header");
        return token.substring(1, token.length() - 1); // Coded-URL: <urn:uuid:...>
    }

    private int put(String name, String... headers) throws Exception {
        List<String> args = new ArrayList<>();
        for (String h : headers) {
            args.addAll(List.of("-H", h));
        }
        args.addAll(List.of("-T", Files.writeString(dir.resolve("body.txt"), "new contents\n").toString(), url + name));
        return curl.run(args.toArray(String[]::new)).status();
    }

    @Test
    void aLockTokenStaysValidAcrossARestartAndAnUnlockIsRemembered() throws Exception {
        Files.writeString(share.resolve("report.txt"), "draft\n");
        String token = lock("report.txt", "Second-3600");

        restart();

        assertEquals(423, put("report.txt"), "still locked against a client without the token");
        assertEquals(204, put("report.txt", "If: (<" + token + ">)"), "the token granted before the restart");
        Curl.Response discovery = curl.run("-X", "PROPFIND", "-H", "Depth: 0", "-H", "Content-Type: application/xml",
                "--data-binary", "<?xml version=\"1.0\"?><D:propfind xmlns:D=\"DAV:\"><D:prop><D:lockdiscovery/></D:prop></D:propfind>",
                url + "report.txt");
        assertTrue(discovery.text().contains(token) && discovery.text().contains("lock-persistence-test"), discovery.text());

        assertEquals(204, curl.run("-X", "UNLOCK", "-H", "Lock-Token: <" + token + ">", url + "report.txt").status());
        restart();
        assertEquals(204, put("report.txt"), "the UNLOCK outlived the restart too");
    }

    @Test
    void aLockThatExpiredWhileTheServerWasDownIsDroppedAtLoad() throws Exception {
        Files.writeString(share.resolve("short.txt"), "draft\n");
        lock("short.txt", "Second-1");
        server.close();
        server = null;
        Thread.sleep(1500);

        restart();

        assertEquals(204, put("short.txt"), "the expired lock no longer holds");
        assertFalse(Files.readString(state.resolve(LockFile.NAME)).contains("short.txt"),
                "the file was saved again at load, without the expired lock");
    }

    @Test
    void anUnreadableLockFileIsSetAsideAndTheServerStarts() throws Exception {
        server.close();
        server = null;
        Files.createDirectories(state);
        Files.writeString(state.resolve(LockFile.NAME), "{ not json");

        restart();

        assertEquals("{ not json", Files.readString(state.resolve(LockFile.NAME + ".unreadable")), "kept for whoever looks");
        Files.writeString(share.resolve("free.txt"), "draft\n");
        lock("free.txt", "Second-60");
        assertTrue(Files.readString(state.resolve(LockFile.NAME)).contains("free.txt"), "a new table is saved");
    }
}
