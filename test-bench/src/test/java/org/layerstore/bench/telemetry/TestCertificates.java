// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away certificate authority and a server certificate it signed for 127.0.0.1, made with the
 * openssl command as an operator would, for the TLS tests.
 */
record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    /** A new CA in {@code dir} and a server certificate for 127.0.0.1 and localhost signed by it. */
    static TestCertificates create(Path dir, String caName) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path caKey = dir.resolve("ca.key");
        Path ca = dir.resolve("ca.pem");
        Path key = dir.resolve("server.key");
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        Path san = Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        MosquittoBroker.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey.toString(),
                "-out", ca.toString(), "-subj", "/CN=" + caName, "-days", "2");
        MosquittoBroker.run("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                csr.toString(), "-subj", "/CN=127.0.0.1");
        MosquittoBroker.run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", ca.toString(), "-CAkey",
                caKey.toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2", "-extfile", san.toString());
        return new TestCertificates(ca, cert, key);
    }
}
