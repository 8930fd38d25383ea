package org.layerstore.services.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP Basic authentication (RFC 7617) against a {@link UserDirectory}. A verified header is
 * remembered by its SHA-256 (never in clear) so that a client's every request does not cost a bcrypt;
 * at most {@value #CACHE_ENTRIES} are remembered.
 */
public final class BasicAuthenticator {

    static final int CACHE_ENTRIES = 1024;

    /** What a request's credentials amount to. */
    public sealed interface Result {
        /** No Authorization header: an anonymous client. */
        record Anonymous() implements Result {
        }

        record Authenticated(String user) implements Result {
        }

        /** Wrong name or password, or a malformed header. */
        record Rejected() implements Result {
        }

        /** A password sent over plain HTTP while that is not allowed. */
        record Insecure() implements Result {
        }
    }

    private final UserDirectory users;
    private final String realm;
    private final boolean allowPlainHttp;
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public BasicAuthenticator(UserDirectory users, String realm, boolean allowPlainHttp) {
        this.users = users;
        this.realm = realm;
        this.allowPlainHttp = allowPlainHttp;
    }

    /** The WWW-Authenticate challenge. */
    public String challenge() {
        return "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
    }

    /** Whether a client may be asked for a password on this connection. */
    public boolean mayChallenge(boolean tls) {
        return !users.isEmpty() && (tls || allowPlainHttp);
    }

    /**
     * Whether {@link #authenticate} can answer {@code authorization} without a bcrypt verification: no
     * credentials, credentials refused outright, or credentials already verified. The server answers such
     * requests on its event loop; a bcrypt (tens of milliseconds by design) runs on a file-I/O thread.
     */
    public boolean answersWithoutHashing(String authorization, boolean tls) {
        if (authorization == null || !tls && !allowPlainHttp) {
            return true;
        }
        String value = authorization.trim();
        return !value.regionMatches(true, 0, "Basic ", 0, 6) || verified.containsKey(sha256(value));
    }

    public Result authenticate(String authorization, boolean tls) {
        if (authorization == null) {
            return new Result.Anonymous();
        }
        if (!tls && !allowPlainHttp) {
            return new Result.Insecure();
        }
        String value = authorization.trim();
        if (!value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Result.Rejected();
        }
        String key = sha256(value);
        String cached = verified.get(key);
        if (cached != null) {
            return new Result.Authenticated(cached);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Result.Rejected();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return new Result.Rejected();
        }
        String user = decoded.substring(0, colon);
        if (!users.verify(user, decoded.substring(colon + 1))) {
            return new Result.Rejected();
        }
        if (verified.size() >= CACHE_ENTRIES) {
            verified.clear();
        }
        verified.put(key, user);
        return new Result.Authenticated(user);
    }

    private static String sha256(String s) {
        try {
            return Base64.getEncoder().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
