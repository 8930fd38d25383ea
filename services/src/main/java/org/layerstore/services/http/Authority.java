// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.Locale;

/**
 * A URL's authority (host and optional port, RFC 3986 3.2) compared with the request's Host, the way
 * RFC 9110 4.2.3 normalises http and https URIs: the host is case-insensitive and a port equal to the
 * scheme's default, or empty, is the same as none.
 */
final class Authority {

    private Authority() {
    }

    /**
     * Whether {@code named}, the authority of a {@code scheme} URL, is {@code host}, the request's Host
     * header (null: none, which matches nothing).
     */
    static boolean same(String scheme, String named, String host) {
        if (host == null) {
            return false;
        }
        String defaultPort = scheme.equalsIgnoreCase("https") ? "443" : scheme.equalsIgnoreCase("http") ? "80" : null;
        return defaultPort != null && normal(named, defaultPort).equals(normal(host.trim(), defaultPort));
    }

    private static String normal(String authority, String defaultPort) {
        String a = authority.toLowerCase(Locale.ROOT);
        int colon = a.lastIndexOf(':');
        if (colon >= 0 && colon > a.lastIndexOf(']')) { // a port, not a colon inside an IPv6 literal
            String port = a.substring(colon + 1);
            if (port.isEmpty() || port.equals(defaultPort)) {
                return a.substring(0, colon);
            }
        }
        return a;
    }
}
