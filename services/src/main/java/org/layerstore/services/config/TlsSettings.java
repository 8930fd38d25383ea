// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.nio.file.Path;

/**
 * HTTPS for the listener: either a PEM certificate chain with its PEM private key, or one PKCS#12 file.
 * Absent (the default), the listener speaks plain HTTP.
 *
 * @param certificate     PEM file with the server certificate first, then its chain
 * @param privateKey      PEM file with the private key (PKCS#8 or PKCS#1, unencrypted)
 * @param pkcs12          PKCS#12 file holding the key and its chain, instead of the two PEM files
 * @param pkcs12Password  the PKCS#12 file's password; default empty
 */
public record TlsSettings(Path certificate, Path privateKey, Path pkcs12, String pkcs12Password) {

    public TlsSettings {
        boolean pem = certificate != null || privateKey != null;
        if (pem && pkcs12 != null) {
            throw new ConfigException("http.tls: give either certificate and privateKey (PEM) or pkcs12, not both");
        }
        if (pem && (certificate == null || privateKey == null)) {
            throw new ConfigException("http.tls: PEM needs both certificate and privateKey");
        }
        if (!pem && pkcs12 == null) {
            throw new ConfigException("http.tls: give certificate and privateKey (PEM), or pkcs12");
        }
        pkcs12Password = pkcs12Password == null ? "" : pkcs12Password;
    }

    public static TlsSettings pem(Path certificate, Path privateKey) {
        return new TlsSettings(certificate, privateKey, null, null);
    }

    public static TlsSettings pkcs12(Path file, String password) {
        return new TlsSettings(null, null, file, password);
    }

    public boolean isPkcs12() {
        return pkcs12 != null;
    }
}
