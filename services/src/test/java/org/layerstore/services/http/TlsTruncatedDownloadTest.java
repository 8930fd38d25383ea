// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.config.TlsSettings;
import org.layerstore.services.demo.DemoCertificate;

/**
 * An HTTPS download of a file truncated while it is being sent, by a Java {@link SSLSocket} that reads
 * the body slowly: the transfer fails as it does over plain HTTP (the connection closes before the
 * announced length, the access log shows no size), every event loop goes on answering HTTPS requests,
 * and the server stops when asked.
 */
class TlsTruncatedDownloadTest {

    private static final int MIB = 1024 * 1024;
    private static final int SIZE = 64 * MIB;

    @TempDir
    Path dir;

    private TlsSettings tls;
    private HttpFileServer server;
    private Path file;

    @BeforeEach
    void start() throws IOException {
        Path root = Files.createDirectories(dir.resolve("share"));
        file = root.resolve("shrinking.bin");
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer piece = ByteBuffer.allocate(MIB);
            for (int i = 0; i < SIZE / MIB; i++) {
                piece.clear();
                while (piece.hasRemaining()) {
                    out.write(piece);
                }
            }
        }
        Files.writeString(root.resolve("small.txt"), "still here\n");
        tls = DemoCertificate.create(dir.resolve("tls"));
        server = HttpFileServer.start(TestServers.loopback().withTls(tls), AuthSettings.defaults(),
                List.of(new ShareSettings("files", root, true).withAnonymous("read")));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            assertTimeoutPreemptively(Duration.ofSeconds(30), server::close, "the server stops");
        }
    }

    @Test
    void aFileTruncatedDuringAnHttpsDownloadEndsThatDownloadAndTheServerGoesOnAndStops() throws Exception {
        long received;
        try (AccessLogCapture log = new AccessLogCapture();
             SSLSocket socket = (SSLSocket) trusting(tls.certificate()).getSocketFactory()
                     .createSocket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /files/shrinking.bin HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String head = RawHttp.head(in).toLowerCase(Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 200 ") && head.contains("content-length: " + SIZE), head);
            received = in.readNBytes(MIB).length;
            try (FileChannel shrink = FileChannel.open(file, StandardOpenOption.WRITE)) {
                shrink.truncate(MIB);
            }
            received += drain(in);
            assertTrue(received < SIZE, "the body ended short: " + received + " of " + SIZE + " bytes");
            String line = log.await("\"GET /files/shrinking.bin HTTP/1.1\" 200 - ");
            assertTrue(line.contains(" engine=copy "), line);
        }
        Curl curl = new Curl(dir, "--cacert", tls.certificate().toString(), "--max-time", "20");
        String small = "https://127.0.0.1:" + server.localAddress().getPort() + "/files/small.txt";
        // New connections go to the event loops in turn: one more than there are loops reaches each of them.
        for (int i = 0; i <= Runtime.getRuntime().availableProcessors(); i++) {
            Curl.Response r = curl.run(small);
            assertEquals(200, r.status());
            assertEquals("still here\n", r.text());
        }
        HttpFileServer stopping = server;
        server = null;
        assertTimeoutPreemptively(Duration.ofSeconds(30), stopping::close, "the server stops");
    }

    /** Reads until the server ends the connection (a close or a reset); a silent connection fails the test. */
    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        try {
            for (int r; (r = in.read(buf)) > 0; ) {
                n += r;
            }
        } catch (SocketTimeoutException e) {
            fail("the server neither sent more nor closed the connection for 20 s after " + n + " more bytes");
        } catch (IOException reset) {
            // the server cut the connection: the body ends here
        }
        return n;
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("demo", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
