// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request path that must not be served: malformed or with a name too long (400), escaping its share
 * (403), naming nothing (404), or too long for a path on disk (414). The message is for the log, never for the client, so it may name the attempt in full.
 */
public final class PathRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Characters of a too-long path that its refusal quotes. */
    static final int QUOTED_PREFIX = 64;

    private final transient HttpResponseStatus status;

    public PathRefusedException(HttpResponseStatus status, String message) {
        super(message);
        this.status = status;
    }

    public HttpResponseStatus status() {
        return status;
    }

    static PathRefusedException malformed(String rawPath, String why) {
        return new PathRefusedException(HttpResponseStatus.BAD_REQUEST, "malformed path " + quote(rawPath) + ": " + why);
    }

    static PathRefusedException escape(String rawPath, String why) {
        return new PathRefusedException(HttpResponseStatus.FORBIDDEN, "refused path " + quote(rawPath) + ": " + why);
    }

    /**
     * A path longer than the filesystem can name ({@code why} says which limit). Its message quotes only
     * the path's first {@value #QUOTED_PREFIX} characters: a line per such request must not carry kilobytes.
     */
    static PathRefusedException tooLong(String rawPath, HttpResponseStatus status, String why) {
        String shown = rawPath.length() <= QUOTED_PREFIX ? quote(rawPath)
                : quote(rawPath.substring(0, QUOTED_PREFIX)) + "... (" + rawPath.length() + " characters)";
        return new PathRefusedException(status, "refused path " + shown + ": " + why);
    }

    public static PathRefusedException notFound(String rawPath) {
        return new PathRefusedException(HttpResponseStatus.NOT_FOUND, "no such file " + quote(rawPath));
    }

    /** Quotes a client-supplied string for a log line, escaping control characters so it cannot forge lines. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
