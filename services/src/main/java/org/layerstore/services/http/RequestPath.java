// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request target's path, decoded exactly once into its segments.
 *
 * <p>Refused as malformed (400): no leading '/', a bad percent escape, bytes that are not valid UTF-8
 * (overlong forms included), control characters. Refused as an escape attempt (403): a {@code ..}
 * segment, an encoded '/' or '\\', a backslash, a NUL. {@code .} and empty segments are dropped.
 */
public record RequestPath(List<String> segments, boolean trailingSlash) {

    public RequestPath {
        segments = List.copyOf(segments);
    }

    /** Parses the path of a request target, ignoring its query and fragment. */
    public static RequestPath parse(String requestTarget) throws PathRefusedException {
        if (requestTarget.indexOf('#') >= 0) {
            // A fragment is never part of a request target (RFC 9112 3.2); acting on the part before it
            // could delete something the client did not name.
            throw PathRefusedException.malformed(requestTarget, "fragment in request target");
        }
        String raw = stripQuery(requestTarget);
        if (!raw.startsWith("/")) {
            throw PathRefusedException.malformed(requestTarget, "not an absolute path");
        }
        List<String> segments = new ArrayList<>();
        // A loop over the separators, not String.split: split's list and array cost more per request
        // than the rest of the parse (JFR, docs/benchmarks.md).
        for (int start = 1, end; start <= raw.length(); start = end + 1) {
            end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            String segment = decodeSegment(requestTarget, raw.substring(start, end));
            if (segment.equals("..")) {
                throw PathRefusedException.escape(requestTarget, "'..' segment");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return new RequestPath(segments, raw.endsWith("/"));
    }

    /** Whether the path of a request target (query and fragment aside) ends with '/'. */
    public static boolean hasTrailingSlash(String requestTarget) {
        return stripQuery(requestTarget).endsWith("/");
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The path re-encoded for a URL, with a trailing slash when {@code directory} is true. */
    public String encoded(boolean directory) {
        StringBuilder b = new StringBuilder();
        for (String segment : segments) {
            b.append('/').append(PathSegments.encode(segment));
        }
        if (directory || segments.isEmpty()) {
            b.append('/');
        }
        return b.toString();
    }

    private static String stripQuery(String target) {
        int q = target.indexOf('?');
        return q >= 0 ? target.substring(0, q) : target;
    }

    private static String decodeSegment(String target, String raw) throws PathRefusedException {
        if (raw.indexOf('%') < 0) {
            checkCharacters(target, raw);
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length() * 3);
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes.put(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= raw.length()) {
                throw PathRefusedException.malformed(target, "truncated percent escape");
            }
            int hi = Character.digit(raw.charAt(i + 1), 16);
            int lo = Character.digit(raw.charAt(i + 2), 16);
            if (hi < 0 || lo < 0) {
                throw PathRefusedException.malformed(target, "invalid percent escape");
            }
            int b = hi << 4 | lo;
            if (b == '/' || b == '\\') {
                throw PathRefusedException.escape(target, "encoded path separator");
            }
            bytes.put((byte) b);
            i += 2;
        }
        bytes.flip();
        String decoded;
        try {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer chars = decoder.decode(bytes);
            decoded = chars.toString();
        } catch (CharacterCodingException e) {
            throw PathRefusedException.malformed(target, "not valid UTF-8");
        }
        checkCharacters(target, decoded);
        return decoded;
    }

    private static void checkCharacters(String target, String segment) throws PathRefusedException {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == 0) {
                throw PathRefusedException.escape(target, "NUL byte");
            }
            if (c == '\\') {
                throw PathRefusedException.escape(target, "backslash");
            }
            if (c < 0x20 || c == 0x7f) {
                throw PathRefusedException.malformed(target, "control character");
            }
        }
    }
}
