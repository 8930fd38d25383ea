// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private ApplianceConfig load(String yaml) throws Exception {
        Path file = dir.resolve("layerstore.yaml");
        Files.writeString(file, yaml);
        return new ConfigLoader().load(file);
    }

    @Test
    void anEmptyFileGivesTheDefaults() throws Exception {
        ApplianceConfig config = load("");
        assertEquals(HttpSettings.DEFAULT_PORT, config.http().port());
        assertEquals(HttpSettings.DEFAULT_BIND, config.http().bind());
        assertTrue(config.shares().isEmpty());
    }

    @Test
    void sharesAndListenerAreRead() throws Exception {
        ApplianceConfig config = load("""
                http:
                  port: 9000
                shares:
                  - name: media
                    root: /srv/media
                    readOnly: true
                """);
        assertEquals(9000, config.http().port());
        assertEquals("0.0.0.0", config.http().bind());
        assertEquals(Path.of("/srv/media"), config.shares().getFirst().root());
        assertTrue(config.shares().getFirst().readOnly());
    }

    @Test
    void theOffloadPortIsReadWithItsOptionalKeys() throws Exception {
        assertEquals(null, load("").offload(), "no offload port by default");
        OffloadSettings offload = load("""
                offload:
                  link: eth1
                  address: 192.0.2.2/24
                  gateway: 192.0.2.254
                  mac: 02:00:5e:10:00:01
                  fmanPort: 1
                  wire: packet-socket
                """).offload();
        assertEquals("eth1", offload.link());
        assertEquals("192.0.2.2", offload.ipv4Address().toString());
        assertEquals(24, offload.prefixLength());
        assertEquals("192.0.2.254", offload.gatewayAddress().toString());
        assertEquals("02:00:5e:10:00:01", offload.macAddress().toString());
        assertEquals(1, offload.fmanPort());
        assertEquals(OffloadSettings.WIRE_PACKET_SOCKET, offload.wire());
        OffloadSettings minimal = load("offload: {link: eth1, address: 198.51.100.9/30}\n").offload();
        assertEquals(null, minimal.gatewayAddress());
        assertEquals(null, minimal.macAddress());
        assertEquals(null, minimal.wire(), "no wire: the frame manager when usable, else AF_PACKET");
    }

    @Test
    void badOffloadValuesAreErrorsThatSayWhy() {
        String[][] cases = {
                {"offload: {address: 192.0.2.2/24}", "offload.link is required"},
                {"offload: {link: eth1}", "offload.address is required"},
                {"offload: {link: eth1, address: 192.0.2.2}", "offload.address must be ADDRESS/PREFIX"},
                {"offload: {link: eth1, address: 192.0.2.300/24}", "offload.address must be an IPv4 address"},
                {"offload: {link: eth1, address: 192.0.2.2/31}", "offload.address prefix must be 1 to 30, got 31"},
                {"offload: {link: eth1, address: 192.0.2.2/x}", "offload.address prefix must be a number"},
                {"offload: {link: eth1, address: 192.0.2.2/24, gateway: 198.51.100.1}", "offload.gateway 198.51.100.1 is not on"},
                {"offload: {link: eth1, address: 192.0.2.2/24, mac: 02:00}", "offload.mac must be six hex pairs"},
                {"offload: {link: eth1, address: 192.0.2.2/24, fmanPort: 16}", "offload.fmanPort must be 0 to 15, got 16"},
                {"offload: {link: eth1, address: 192.0.2.2/24, wire: dpdk}",
                        "offload.wire must be frame-manager or packet-socket, got 'dpdk'"},
        };
        for (String[] c : cases) {
            var e = assertThrows(ConfigException.class, () -> load(c[0] + "\n"), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void aMisspeltKeyIsAnErrorThatNamesIt() {
        var e = assertThrows(ConfigException.class, () -> load("http:\n  prot: 9000\n"));
        assertTrue(e.getMessage().contains("prot"), e.getMessage());
    }

    @Test
    void anInvalidValueIsAnErrorThatSaysWhy() {
        var e = assertThrows(ConfigException.class, () -> load("http:\n  port: 70000\n"));
        assertTrue(e.getMessage().contains("http.port must be 0-65535, got 70000"), e.getMessage());
        var dup = assertThrows(ConfigException.class,
                () -> load("shares:\n  - {name: a, root: /x}\n  - {name: a, root: /y}\n"));
        assertTrue(dup.getMessage().contains("unique"), dup.getMessage());
    }

    @Test
    void aMissingFileIsAnErrorThatNamesIt() {
        var e = assertThrows(ConfigException.class, () -> new ConfigLoader().load(dir.resolve("nope.yaml")));
        assertTrue(e.getMessage().contains("nope.yaml does not exist"), e.getMessage());
    }

    @Test
    void fileSharingKeysAreReadWithTheirDefaults() throws Exception {
        ApplianceConfig config = load("""
                http:
                  tls:
                    certificate: /etc/c.pem
                    privateKey: /etc/k.pem
                  limits:
                    maxHeaderBytes: 4096
                    idleTimeoutSeconds: 5
                auth:
                  usersFile: /etc/users
                shares:
                  - name: media
                    root: /srv/media
                    anonymous: read
                    users: {alice: read-write, bob: read}
                    engine: splice
                    uploadEngine: copy
                """);
        assertEquals(Path.of("/etc/c.pem"), config.http().tls().certificate());
        assertEquals(4096, config.http().limits().maxHeaderBytes());
        assertEquals(5, config.http().limits().idleTimeoutSeconds());
        assertEquals(LimitSettings.DEFAULT_MAX_CONNECTIONS, config.http().limits().maxConnections());
        assertEquals(64, config.http().limits().maxConnectionsPerClient());
        assertEquals(8, load("http: {limits: {maxConnectionsPerClient: 8}}").http().limits().maxConnectionsPerClient());
        assertEquals(Path.of("/etc/users"), config.auth().usersFile());
        assertEquals(AuthSettings.DEFAULT_REALM, config.auth().realm());
        assertTrue(!config.auth().allowBasicOverPlainHttp());
        ShareSettings share = config.shares().getFirst();
        assertTrue(share.anonymousRead());
        assertEquals("read", share.users().get("bob"));
        assertEquals("splice", share.engine());
        assertEquals("auto", load("shares: [{name: a, root: /x}]").shares().getFirst().engine());
        assertEquals("copy", share.uploadEngine());
        assertEquals("auto", load("shares: [{name: a, root: /x}]").shares().getFirst().uploadEngine());
    }

    /**
     * The removed frame-manager engine: a configuration that still names it does not start, and the error says where
     * the frame manager's path went (the offload port) and how to turn it on.
     */
    @Test
    void aShareThatStillSaysEngineOffloadIsRefusedPointingAtTheOffloadPort() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("shares: [{name: media, root: /srv/media, engine: offload}]"));
        assertTrue(e.getMessage().contains("share 'media': engine 'offload' is gone: file bodies go through the frame"
                + " manager on the offload port now"), e.getMessage());
        assertTrue(e.getMessage().contains("the 'offload:' section"), e.getMessage());
        assertTrue(e.getMessage().contains("--offload-link IFNAME --offload-address ADDRESS/PREFIX"), e.getMessage());
        assertTrue(e.getMessage().endsWith("[auto, copy, mmap, sendfile, splice, zerocopy] for the kernel listener"),
                e.getMessage());
    }

    @Test
    void invalidFileSharingValuesAreErrorsThatSayWhy() {
        assertTrue(assertThrows(ConfigException.class, () -> load("shares: [{name: a, root: /x, engine: warp}]"))
                .getMessage().contains("engine must be one of"));
        assertTrue(assertThrows(ConfigException.class, () -> load("shares: [{name: a, root: /x, uploadEngine: sendfile}]"))
                .getMessage().contains("uploadEngine must be one of [auto, copy, splice], got 'sendfile'"));
        assertTrue(assertThrows(ConfigException.class, () -> load("shares: [{name: a, root: /x, users: {bob: admin}}]"))
                .getMessage().contains("'read' or 'read-write'"));
        assertTrue(assertThrows(ConfigException.class, () -> load("http: {tls: {certificate: /c.pem}}"))
                .getMessage().contains("both certificate and privateKey"));
        assertTrue(assertThrows(ConfigException.class, () -> load("http: {limits: {maxConnections: 0}}"))
                .getMessage().contains("http.limits.maxConnections must be > 0"));
        assertTrue(assertThrows(ConfigException.class, () -> load("http: {limits: {maxConnectionsPerClient: 0}}"))
                .getMessage().contains("http.limits.maxConnectionsPerClient must be > 0"));
    }

    @Test
    void boardAndFrameManagerDefaultToDetectionAndAuto() throws Exception {
        ApplianceConfig config = load("");
        assertEquals("auto", config.board().profile());
        assertTrue(config.board().detects());
        assertEquals(Path.of("/etc/layerstore/boards"), config.board().profilesDir());
        assertEquals("auto", config.frameManager().backend());
        assertTrue(config.frameManager().automatic());
    }

    @Test
    void boardAndFrameManagerAreRead() throws Exception {
        ApplianceConfig config = load("""
                board:
                  profile: ls1043ardb
                  profilesDir: /srv/boards
                frameManager:
                  backend: Emulated
                """);
        assertEquals("ls1043ardb", config.board().profile());
        assertEquals(Path.of("/srv/boards"), config.board().profilesDir());
        assertEquals("emulated", config.frameManager().backend());
    }

    @Test
    void badBoardAndBackendValuesAreErrorsThatSayWhy() {
        var backend = assertThrows(ConfigException.class, () -> load("frameManager:\n  backend: dpdk\n"));
        assertTrue(backend.getMessage().contains("frameManager.backend must be one of [auto, emulated, usdpaa], got 'dpdk'"),
                backend.getMessage());
        var profile = assertThrows(ConfigException.class, () -> load("board:\n  profile: LS1046A RDB\n"));
        assertTrue(profile.getMessage().contains("board.profile must be 'auto' or a profile id"), profile.getMessage());
        var key = assertThrows(ConfigException.class, () -> load("frameManager:\n  backnd: auto\n"));
        assertTrue(key.getMessage().contains("backnd"), key.getMessage());
    }
}
