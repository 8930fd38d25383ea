// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.nio.file.Path;

/**
 * Who may use the shares. Without a users file nobody can authenticate, and only shares with
 * {@code anonymous: read} (or {@code read-write}) can be used.
 *
 * @param usersFile              lines of {@code name:bcrypt-hash}, as {@code htpasswd -B} writes them
 * @param realm                  the Basic realm shown by clients; default {@value #DEFAULT_REALM}
 * @param allowBasicOverPlainHttp accept passwords over plain HTTP (not TLS); default false: such requests
 *                                are answered 403, since anyone on the path could read the password
 */
public record AuthSettings(Path usersFile, String realm, Boolean allowBasicOverPlainHttp) {

    public static final String DEFAULT_REALM = "Layerstore";

    public AuthSettings {
        realm = realm == null ? DEFAULT_REALM : realm;
        if (realm.contains("\"") || realm.chars().anyMatch(c -> c < 0x20)) {
            throw new ConfigException("auth.realm must not contain quotes or control characters: " + realm);
        }
        allowBasicOverPlainHttp = allowBasicOverPlainHttp != null && allowBasicOverPlainHttp;
    }

    public static AuthSettings defaults() {
        return new AuthSettings(null, null, null);
    }
}
