// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;

/** The file server over real sockets, driven by curl and the JDK's HTTP client. */
class HttpFileServerTest {

    @TempDir
    Path dir;

    private Path share;
    private HttpFileServer server;
    private String base;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        share = Files.createDirectories(dir.resolve("share"));
        server = HttpFileServer.start(new HttpSettings("127.0.0.1", 0), List.of(new ShareSettings("files", share, true).withAnonymous("read")));
        base = "http://127.0.0.1:" + server.localAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void curlDownloadsAFileByteForByte() throws Exception {
        byte[] content = new byte[(8 << 20) + 123];
        new Random(7).nextBytes(content);
        Files.write(share.resolve("big.bin"), content);
        Path out = dir.resolve("download.bin");

        Process curl = new ProcessBuilder("curl", "-sS", "--fail", "-o", out.toString(), base + "/files/big.bin")
                .redirectErrorStream(true).start();
        assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, curl.exitValue(), new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertEquals(sha256(content), sha256(Files.readAllBytes(out)));
    }

    @Test
    void headGivesTheLengthAndNoBody() throws Exception {
        Files.write(share.resolve("a.txt"), new byte[12345]);
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/files/a.txt"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        assertEquals("12345", r.headers().firstValue("content-length").orElseThrow());
        assertEquals("text/plain", r.headers().firstValue("content-type").orElseThrow());
        assertTrue(r.headers().firstValue("last-modified").isPresent());
        assertEquals(0, r.body().length);
    }

    @Test
    void missingFilesAndSharesAre404() throws Exception {
        assertEquals(404, get("/files/none.txt").statusCode());
        assertEquals(404, get("/nosuchshare/x").statusCode());
    }

    @Test
    void pathsThatEscapeTheShareAreRefused() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(share.resolve("link"), dir.resolve("secret.txt"));
        assertEquals(403, rawStatus("/files/../secret.txt"));
        assertEquals(403, rawStatus("/files/%2e%2e/secret.txt"));
        assertEquals(403, rawStatus("/files/..%2fsecret.txt"));
        assertEquals(403, get("/files/link").statusCode());
    }

    @Test
    void aSymlinkInsideTheShareIsServed() throws Exception {
        Files.writeString(share.resolve("real.txt"), "inside");
        Files.createSymbolicLink(share.resolve("alias.txt"), share.resolve("real.txt"));
        HttpResponse<byte[]> r = get("/files/alias.txt");
        assertEquals(200, r.statusCode());
        assertEquals("inside", new String(r.body(), StandardCharsets.UTF_8));
    }

    @Test
    void foldersRedirectToTheirSlashAndListEscapedSortedNames() throws Exception {
        Path sub = Files.createDirectories(share.resolve("sub"));
        Files.writeString(sub.resolve("b<script>.txt"), "x");
        Files.writeString(sub.resolve("a.txt"), "x");
        HttpResponse<byte[]> redirect = get("/files/sub");
        assertEquals(301, redirect.statusCode());
        assertEquals("/files/sub/", redirect.headers().firstValue("location").orElseThrow());

        String page = new String(get("/files/sub/").body(), StandardCharsets.UTF_8);
        assertTrue(page.contains("b&lt;script&gt;.txt"), page);
        assertTrue(page.indexOf("a.txt") < page.indexOf("b&lt;script"), page);
        assertTrue(page.contains("href=\"b%3Cscript%3E.txt\""), page);
    }

    @Test
    void unknownMethodsAre405WithAllowAndWritesToAReadOnlyShare403() throws Exception {
        HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(URI.create(base + "/files/x"))
                .method("BREW", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(405, r.statusCode());
        assertEquals("OPTIONS, GET, HEAD, PUT, DELETE, PROPFIND, PROPPATCH, MKCOL, COPY, MOVE, LOCK, UNLOCK",
                r.headers().firstValue("allow").orElseThrow());
        HttpResponse<byte[]> delete = client.send(HttpRequest.newBuilder(URI.create(base + "/files/x"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(403, delete.statusCode());
    }

    @Test
    void aSecondServerOnTheSamePortIsRefusedNotJoinedThoughItsListenersUseReusePort() throws Exception {
        Files.writeString(share.resolve("a.txt"), "alpha");
        int port = server.localAddress().getPort();
        IOException refused = assertThrows(IOException.class, () -> HttpFileServer.start(
                new HttpSettings("127.0.0.1", port), List.of(new ShareSettings("files", share, true).withAnonymous("read"))));
        assertTrue(refused.getMessage().contains("cannot listen on"), refused.getMessage());
        assertEquals(200, RawHttp.status(RawHttp.exchange(port, "HEAD /files/a.txt HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n")), "the first server still serves its port");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnection() throws Exception {
        Files.writeString(share.resolve("k.txt"), "keep");
        Process curl = new ProcessBuilder("curl", "-sS", "--fail", "-o", "/dev/null", "-o", "/dev/null",
                "-w", "%{num_connects}\\n", base + "/files/k.txt", base + "/files/k.txt").start();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        String connects = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("1\n0\n", connects);
    }

    /**
     * An HTTP/1.0 client asking for keep-alive (as ab -k and some proxies do) is told the connection stays
     * open, and it does; one that does not ask is told it closes, and it does.
     */
    @Test
    void http10ClientsAreToldWhetherTheConnectionStaysOpen() throws Exception {
        Files.writeString(share.resolve("k.txt"), "keep");
        List<RawHttp.Answer> answers = RawHttp.http10KeptAlive(server.localAddress().getPort(), "/files/k.txt", 2,
                "/files/k.txt");
        for (RawHttp.Answer kept : answers.subList(0, 2)) {
            assertTrue(kept.head().contains("\r\nconnection: keep-alive\r\n"), kept.head());
            assertEquals("keep", kept.body());
        }
        assertTrue(answers.get(2).head().contains("\r\nconnection: close\r\n"), answers.get(2).head());
        assertEquals("keep", answers.get(2).body());
    }

    private HttpResponse<byte[]> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** curl with --path-as-is sends the target exactly as written, where the JDK client would normalize it. */
    private int rawStatus(String target) throws Exception {
        Process curl = new ProcessBuilder("curl", "-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}",
                base + target).start();
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS));
        return Integer.parseInt(new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
