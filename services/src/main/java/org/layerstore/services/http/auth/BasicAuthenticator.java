// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.layerstore.services.http.PathRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP Basic authentication (RFC 7617) against a {@link UserDirectory}. A verified header is
 * remembered by its SHA-256 (never in clear) so that a client's every request does not cost a bcrypt;
 * at most {@value #CACHE_ENTRIES} are remembered. Password guessing is slowed down by a
 * {@link SignInThrottle} per client address and per user name; every failed sign-in is logged with the
 * name tried and the client's address, and told to the {@link FailureListener}.
 */
public final class BasicAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(BasicAuthenticator.class);
    static final int CACHE_ENTRIES = 1024;
    /** A user name longer than this is cut in the log and in events (the name is the client's to choose). */
    static final int LOGGED_NAME_CHARS = 64;

    /** Told of each failed sign-in (the telemetry's {@code auth_failure} event). Must return at once. */
    @FunctionalInterface
    public interface FailureListener {
        /** @param user the name tried, cut to {@value #LOGGED_NAME_CHARS} characters; empty when unreadable */
        void failed(String user, String remoteAddress);
    }

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

        /** Too many failed sign-ins from this address or for this user: try again after the delay. */
        record Throttled(long retryAfterSeconds) implements Result {
        }
    }

    private final UserDirectory users;
    private final String realm;
    private final boolean allowPlainHttp;
    private final SignInThrottle throttle;
    private final Map<String, String> verified = new ConcurrentHashMap<>();
    private volatile FailureListener listener = (user, remote) -> { };

    public BasicAuthenticator(UserDirectory users, String realm, boolean allowPlainHttp, SignInThrottle throttle) {
        this.users = users;
        this.realm = realm;
        this.allowPlainHttp = allowPlainHttp;
        this.throttle = throttle;
    }

    /** Where failed sign-ins are told from now on (telemetry starts after the file server listens). */
    public void onFailure(FailureListener failureListener) {
        this.listener = failureListener;
    }

    /** Whether the users file names anyone: then the dashboard, like the shares, needs a signed-in user. */
    public boolean hasUsers() {
        return !users.isEmpty();
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

    /**
     * @param remoteAddress the client's address, the key of the per-address throttle
     */
    public Result authenticate(String authorization, boolean tls, String remoteAddress) {
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
            // Credentials verified before are no guess: a client signed in keeps working through a lock.
            throttle.succeeded(remoteAddress, cached);
            return new Result.Authenticated(cached);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return rejected(null, remoteAddress);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return rejected(null, remoteAddress);
        }
        String user = decoded.substring(0, colon);
        SignInThrottle.Verdict verdict = throttle.check(remoteAddress, user);
        if (!verdict.allowed()) {
            LOG.debug("sign-in as {} from {} refused for {} s more: too many failures", logged(user), remoteAddress,
                    verdict.retryAfterSeconds());
            return new Result.Throttled(verdict.retryAfterSeconds());
        }
        if (!users.verify(user, decoded.substring(colon + 1))) {
            return rejected(user, remoteAddress);
        }
        throttle.succeeded(remoteAddress, user);
        if (verified.size() >= CACHE_ENTRIES) {
            verified.clear();
        }
        verified.put(key, user);
        return new Result.Authenticated(user);
    }

    /** Counts, logs and tells a failed sign-in; {@code user} is null when the header named none. */
    private Result rejected(String user, String remoteAddress) {
        long locked = throttle.failed(remoteAddress, user);
        String name = user == null ? "" : cut(user);
        if (locked > 0) {
            LOG.warn("sign-in failed: user {} from {}; further sign-ins refused for {} s", logged(name), remoteAddress,
                    locked);
        } else {
            LOG.warn("sign-in failed: user {} from {}", logged(name), remoteAddress);
        }
        listener.failed(name, remoteAddress);
        return new Result.Rejected();
    }

    private static String cut(String user) {
        return user.length() <= LOGGED_NAME_CHARS ? user : user.substring(0, LOGGED_NAME_CHARS) + "...";
    }

    private static String logged(String user) {
        return PathRefusedException.quote(cut(user));
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
