// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import io.netty.util.AsciiString;

/**
 * The Date header every response carries (RFC 9110 section 6.6.1: an origin server with a clock must send
 * it on 2xx, 3xx and 4xx responses), encoded once per second and then reused by every response of that
 * second, on every thread, as nginx's {@code ngx_cached_http_time}: a response reads the clock (a vDSO
 * call, no system call) and compares one number.
 */
final class ResponseDate {

    /** The second {@link #ascii} encodes and its IMF-fixdate, as one object so that no thread sees a torn pair. */
    private record Second(long epochSecond, byte[] ascii, AsciiString value) {
    }

    private static volatile Second current = encode(Long.MIN_VALUE);

    private ResponseDate() {
    }

    /** Now as the 29 bytes of IMF-fixdate (RFC 9110 section 5.6.7); shared by every caller: never to be changed. */
    static byte[] ascii() {
        return now().ascii();
    }

    /** Now as a header value over the same bytes as {@link #ascii}, for Netty's encoder (copied by it as bytes). */
    static AsciiString value() {
        return now().value();
    }

    private static Second now() {
        long second = Math.floorDiv(System.currentTimeMillis(), 1000);
        Second known = current;
        if (known.epochSecond() == second) {
            return known;
        }
        // Two threads crossing the second together both encode it; either result is the same bytes.
        Second fresh = encode(second);
        current = fresh;
        return fresh;
    }

    private static Second encode(long epochSecond) {
        byte[] ascii = HttpDates.imfFixdate(Math.max(epochSecond, 0L));
        return new Second(epochSecond, ascii, new AsciiString(ascii, false));
    }
}
