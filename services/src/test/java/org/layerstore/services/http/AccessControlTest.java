// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.config.TlsSettings;
import org.layerstore.services.demo.DemoCertificate;

/** Who may do what: users from a bcrypt file, per-share rights, anonymous read, Basic only over TLS. */
class AccessControlTest {

    @TempDir
    Path dir;

    private HttpFileServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private List<ShareSettings> shares() throws Exception {
        Path priv = Files.createDirectories(dir.resolve("private"));
        Path pub = Files.createDirectories(dir.resolve("public"));
        Files.writeString(priv.resolve("p.txt"), "private");
        Files.writeString(pub.resolve("q.txt"), "public");
        return List.of(
                new ShareSettings("private", priv, false, null, Map.of(TestServers.USER, "read-write", "reader", "read"), null, null),
                new ShareSettings("public", pub, false).withAnonymous("read"));
    }

    private String start(HttpSettings http, boolean allowPlain) throws Exception {
        server = HttpFileServer.start(http, new AuthSettings(TestServers.usersFile(dir), "Test Realm", allowPlain), shares());
        return (http.tls() == null ? "http" : "https") + "://127.0.0.1:" + server.localAddress().getPort();
    }

    @Test
    void overTlsUsersSignInAndGetTheirRights() throws Exception {
        String base = start(TestServers.loopback().withTls(DemoCertificate.create(dir.resolve("tls"))), false);
        String ca = dir.resolve("tls/cert.pem").toString();
        Curl anonymous = new Curl(dir, "--cacert", ca);
        Curl alice = new Curl(dir, "--cacert", ca, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        Curl reader = new Curl(dir, "--cacert", ca, "-u", "reader:" + TestServers.PASSWORD);
        Curl wrong = new Curl(dir, "--cacert", ca, "-u", TestServers.USER + ":wrong");

        Curl.Response challenge = anonymous.run(base + "/private/p.txt");
        assertEquals(401, challenge.status());
        assertEquals("Basic realm=\"Test Realm\", charset=\"UTF-8\"", challenge.header("www-authenticate"));
        assertEquals(401, wrong.run(base + "/private/p.txt").status());
        assertEquals("private", alice.run(base + "/private/p.txt").text());
        assertEquals(201, alice.run("-X", "PUT", "--data-binary", "new", base + "/private/new.txt").status());
        assertEquals("private", reader.run(base + "/private/p.txt").text());
        assertEquals(403, reader.run("-X", "DELETE", base + "/private/p.txt").status());
        assertEquals("public", anonymous.run(base + "/public/q.txt").text());
        assertEquals(401, anonymous.run("-X", "DELETE", base + "/public/q.txt").status());
        assertEquals(204, alice.run("-X", "DELETE", base + "/public/q.txt").status());
        String root = anonymous.run(base + "/").text();
        assertTrue(root.contains("public/") && !root.contains("private/"), root);
    }

    @Test
    void passwordsOverPlainHttpAreRefusedUnlessAllowed() throws Exception {
        String base = start(TestServers.loopback(), false);
        Curl alice = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
        Curl.Response refused = alice.run(base + "/private/p.txt");
        assertEquals(403, refused.status());
        assertNull(refused.header("www-authenticate"));
        Curl.Response anonymous = new Curl(dir).run(base + "/private/p.txt");
        assertEquals(403, anonymous.status()); // no challenge: it would invite a password in clear
        assertNull(anonymous.header("www-authenticate"));
        assertEquals("public", new Curl(dir).run(base + "/public/q.txt").text());
    }

    @Test
    void aPkcs12CertificateServesTls() throws Exception {
        TlsSettings pem = DemoCertificate.create(dir.resolve("tls"));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Certificate cert;
        try (var in = Files.newInputStream(pem.certificate())) {
            cert = cf.generateCertificate(in);
        }
        String keyPem = Files.readString(pem.privateKey()).replaceAll("-----[A-Z ]+-----|\\s", "");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(keyPem)));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, "pw".toCharArray(), new Certificate[] {cert});
        Path p12 = dir.resolve("server.p12");
        try (var out = new FileOutputStream(p12.toFile())) {
            store.store(out, "pw".toCharArray());
        }
        String base = start(TestServers.loopback().withTls(TlsSettings.pkcs12(p12, "pw")), false);
        Curl.Response r = new Curl(dir, "--cacert", pem.certificate().toString()).run(base + "/public/q.txt");
        assertEquals(200, r.status());
        assertEquals("public", r.text());
    }
}
