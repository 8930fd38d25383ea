// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;

/** Percent-encoding of one path segment for a URL (RFC 3986: everything but unreserved characters). */
final class PathSegments {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PathSegments() {
    }

    static String encode(String segment) {
        StringBuilder b = new StringBuilder(segment.length() + 8);
        for (byte x : segment.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return b.toString();
    }
}
