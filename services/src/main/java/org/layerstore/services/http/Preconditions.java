// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.OptionalLong;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * The conditional request headers of RFC 9110 section 13, evaluated in the order of section 13.2.2:
 * If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since (GET and HEAD only).
 * If-Range is separate: it decides whether a Range header applies at all.
 */
public final class Preconditions {

    public enum Outcome { PROCEED, NOT_MODIFIED, FAILED }

    private Preconditions() {
    }

    /**
     * @param state the resource's current state, or null when it does not exist
     * @param read  whether the method is GET or HEAD (a matching If-None-Match gives 304, not 412)
     */
    public static Outcome evaluate(HttpRequest request, FileState state, boolean read) {
        String ifMatch = request.headers().get(HttpHeaderNames.IF_MATCH);
        if (ifMatch != null) {
            if (state == null || !matches(ifMatch, state.etag(), true)) {
                return Outcome.FAILED;
            }
        } else {
            OptionalLong since = HttpDates.parseSeconds(request.headers().get(HttpHeaderNames.IF_UNMODIFIED_SINCE));
            if (since.isPresent() && state != null && state.modifiedSeconds() > since.getAsLong()) {
                return Outcome.FAILED;
            }
        }
        String ifNoneMatch = request.headers().get(HttpHeaderNames.IF_NONE_MATCH);
        if (ifNoneMatch != null) {
            if (state != null && matches(ifNoneMatch, state.etag(), false)) {
                return read ? Outcome.NOT_MODIFIED : Outcome.FAILED;
            }
        } else if (read && state != null) {
            OptionalLong since = HttpDates.parseSeconds(request.headers().get(HttpHeaderNames.IF_MODIFIED_SINCE));
            if (since.isPresent() && state.modifiedSeconds() <= since.getAsLong()) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /** Whether a Range header may be honoured: no If-Range, or one naming the current state strongly. */
    public static boolean rangeApplies(HttpRequest request, FileState state) {
        String ifRange = request.headers().get(HttpHeaderNames.IF_RANGE);
        if (ifRange == null) {
            return true;
        }
        String v = ifRange.trim();
        if (v.startsWith("\"")) {
            return v.equals(state.etag());
        }
        if (v.startsWith("W/")) {
            return false; // weak tags never match in If-Range
        }
        OptionalLong date = HttpDates.parseSeconds(v);
        return date.isPresent() && date.getAsLong() == state.modifiedSeconds();
    }

    /**
     * Whether a list of entity tags (or "*") names {@code etag}. Strong comparison ignores weak tags;
     * weak comparison (If-None-Match) compares the opaque parts.
     */
    static boolean matches(String header, String etag, boolean strong) {
        String trimmed = header.trim();
        if (trimmed.equals("*")) {
            return true;
        }
        for (String candidate : trimmed.split(",")) {
            String c = candidate.trim();
            boolean weak = c.startsWith("W/");
            if (weak) {
                if (strong) {
                    continue;
                }
                c = c.substring(2);
            }
            if (c.equals(etag)) {
                return true;
            }
        }
        return false;
    }
}
