// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;

import org.layerstore.services.config.TlsSettings;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

/** Builds the server's TLS context from a PEM pair or a PKCS#12 file; errors name the file and the problem. */
final class TlsContexts {

    private TlsContexts() {
    }

    static SslContext server(TlsSettings tls) throws IOException {
        try {
            if (tls.isPkcs12()) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                char[] password = tls.pkcs12Password().toCharArray();
                try (InputStream in = Files.newInputStream(tls.pkcs12())) {
                    store.load(in, password);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(store, password);
                return SslContextBuilder.forServer(kmf).build();
            }
            return SslContextBuilder.forServer(tls.certificate().toFile(), tls.privateKey().toFile()).build();
        } catch (GeneralSecurityException | SSLException | IllegalArgumentException e) {
            String files = tls.isPkcs12() ? tls.pkcs12().toString() : tls.certificate() + " and " + tls.privateKey();
            throw new IOException("cannot load the TLS certificate from " + files + ": " + e.getMessage(), e);
        }
    }
}
