// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.config.TlsSettings;
import org.layerstore.services.demo.DemoCertificate;
import org.layerstore.services.http.Curl;
import org.layerstore.services.http.HttpFileServer;
import org.layerstore.services.http.RawHttp;
import org.layerstore.services.http.TestServers;

/**
 * A folder of 12,000 files (more than the 10,000 a PROPFIND used to refuse with 507), listed by real
 * clients: curl's PROPFIND gets every member in a chunked 207, an HTTP/1.0 client gets the same body
 * ended by the connection's close, rclone lists and counts them, and the HTML page lists them too.
 */
class BigFolderTest {

    private static final int FILES = 12_000;

    @TempDir
    static Path dir;

    private static Path share;
    private static HttpFileServer server;
    private static String url;
    private static Curl curl;

    @BeforeAll
    static void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        Path photos = Files.createDirectories(share.resolve("photos"));
        for (int i = 0; i < FILES; i++) {
            Files.writeString(photos.resolve(String.format("IMG_%05d.jpg", i)), "x");
        }
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
        url = "http://127.0.0.1:" + server.localAddress().getPort() + "/files/";
        curl = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void propfindStreamsEveryMemberOfABigFolder() throws Exception {
        Curl.Response r = curl.run("-X", "PROPFIND", "-H", "Depth: 1", url + "photos/");
        assertEquals(207, r.status());
        assertEquals("chunked", r.header("transfer-encoding"));
        String body = r.text();
        assertEquals(FILES + 1, count(body, "<D:response>"));
        assertTrue(body.contains("/files/photos/IMG_11999.jpg</D:href>"), "the last member is listed");
        assertTrue(body.endsWith("</D:multistatus>\n"), "the body is complete");
    }

    @Test
    void overHttpsTheListingIsStreamedToo() throws Exception {
        TlsSettings tls = DemoCertificate.create(dir.resolve("tls"));
        try (HttpFileServer https = TestServers.writable(share, TestServers.usersFile(dir),
                TestServers.loopback().withTls(tls))) {
            Curl.Response r = new Curl(dir, "--cacert", tls.certificate().toString(), "-u",
                    TestServers.USER + ":" + TestServers.PASSWORD).run("-X", "PROPFIND", "-H", "Depth: 1",
                    "https://127.0.0.1:" + https.localAddress().getPort() + "/files/photos/");
            assertEquals(207, r.status());
            assertEquals("chunked", r.header("transfer-encoding"));
            assertEquals(FILES + 1, count(r.text(), "<D:response>"));
        }
    }

    @Test
    void anHttp10ClientGetsTheListingEndedByTheClose() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PROPFIND /files/photos/ HTTP/1.0\r\nDepth: 1\r\nAuthorization: "
                    + TestServers.basic() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = RawHttp.head(in).toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 207 "), head);
            assertTrue(!head.contains("transfer-encoding") && !head.contains("content-length"), head);
            assertTrue(head.contains("\r\nconnection: close\r\n"), head);
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(FILES + 1, count(body, "<D:response>"));
            assertTrue(body.endsWith("</D:multistatus>\n"), "the body is complete");
        }
    }

    /**
     * A client that asks for the listing and reads nothing: the listing waits for it (bounded memory, not
     * the whole body queued), and after the idle timeout (3 s here) the server cuts the connection, so what
     * the client finally reads ends short of the closing tag. The server goes on answering.
     */
    @Test
    void aClientThatReadsNothingHasItsListingCutAfterTheIdleTimeout() throws Exception {
        try (HttpFileServer impatient = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback()
                .withLimits(new LimitSettings(null, null, null, null, null, 3, null, null, null, null, null)));
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress("127.0.0.1", impatient.localAddress().getPort()));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("PROPFIND /files/photos/ HTTP/1.1\r\nHost: nas\r\nDepth: 1\r\n"
                    + "Authorization: " + TestServers.basic() + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread.sleep(10_000);
            byte[] received = socket.getInputStream().readAllBytes();
            String text = new String(received, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("HTTP/1.1 207 "), text.substring(0, Math.min(200, text.length())));
            assertFalse(text.contains("</D:multistatus>"), "cut short after " + received.length + " bytes");
            String again = "http://127.0.0.1:" + impatient.localAddress().getPort() + "/files/photos/";
            assertEquals(207, curl.run("-X", "PROPFIND", "-H", "Depth: 0", again).status());
        }
    }

    @Test
    void rcloneListsEveryMember() throws Exception {
        Process rclone = new ProcessBuilder("rclone", "lsf", "--webdav-url", url, "--webdav-vendor", "other",
                "--webdav-user", TestServers.USER, "--webdav-pass", obscured(TestServers.PASSWORD),
                ":webdav:photos").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String listing = new String(rclone.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(rclone.waitFor(120, TimeUnit.SECONDS), "rclone ended");
        assertEquals(0, rclone.exitValue());
        assertEquals(FILES, listing.lines().count());
        assertTrue(listing.contains("IMG_00000.jpg\n") && listing.contains("IMG_11999.jpg\n"));
    }

    @Test
    void theHtmlPageListsEveryMember() throws Exception {
        Curl.Response r = curl.run(url + "photos/");
        assertEquals(200, r.status());
        assertEquals(FILES, count(r.text(), "<tr><td><a href=\"IMG_"));
    }

    private static String obscured(String password) throws Exception {
        Process p = new ProcessBuilder("rclone", "obscure", password).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    private static int count(String text, String fragment) {
        Matcher m = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
