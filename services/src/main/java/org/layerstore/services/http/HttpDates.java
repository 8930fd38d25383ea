// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import io.netty.handler.codec.DateFormatter;

/** HTTP dates (RFC 9110 IMF-fixdate), to the second as HTTP carries them. */
public final class HttpDates {

    /** IMF-fixdate always has a two-digit day, which RFC_1123_DATE_TIME does not print. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Lenient reading of RFC 1123 dates, e.g. a one-digit day. */
    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    /** The obsolete RFC 850 form that RFC 9110 still requires recipients to accept. */
    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);
    /** The obsolete asctime form, e.g. {@code Sun Nov  6 08:49:37 1994}. */
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** Netty's formatter: the same IMF-fixdate, with a per-thread calendar instead of java.time's per-call objects. */
    public static String format(FileTime time) {
        return DateFormatter.format(new Date(time.to(TimeUnit.SECONDS) * 1000));
    }

    /** ISO 8601 as WebDAV's creationdate wants it. */
    public static String formatIso(FileTime time) {
        return DateTimeFormatter.ISO_INSTANT.format(time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Seconds since the epoch of an HTTP date, or empty when it is not one (the header is then ignored). */
    public static OptionalLong parseSeconds(String value) {
        if (value == null) {
            return OptionalLong.empty();
        }
        for (DateTimeFormatter f : new DateTimeFormatter[] {IMF_FIXDATE, RFC_1123, RFC_850, ASCTIME}) {
            try {
                return OptionalLong.of(Instant.from(f.parse(value.trim())).getEpochSecond());
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return OptionalLong.empty();
    }
}
