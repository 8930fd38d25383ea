package org.layerstore.services.http.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The user name a refused Basic Authorization header claims (RFC 7617 section 2: base64 of user-id ":"
 * password), for the {@code auth_failure} event and nothing else: it is what the client said, not who it is.
 */
public final class ClaimedUser {

    private ClaimedUser() {
    }

    /** The claimed name, or empty when the header is not Basic credentials with one. */
    public static String of(String authorization) {
        if (authorization == null) {
            return "";
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return "";
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon <= 0 ? "" : decoded.substring(0, colon);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
