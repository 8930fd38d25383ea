// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;


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

    private static final byte[] DAY_NAMES = "SunMonTueWedThuFriSat".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MONTH_NAMES = "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.US_ASCII);

    /** The last date {@link #imfFixdate} encoded: files served one after another mostly share their second. */
    private record Encoded(long seconds, byte[] ascii) {
    }

    private static volatile Encoded last = new Encoded(Long.MIN_VALUE, new byte[0]);

    /**
     * IMF-fixdate (RFC 9110 section 5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}: every GET and HEAD
     * carries one (Last-Modified), so it is computed from the epoch seconds with integer arithmetic
     * instead of through a calendar (Netty's DateFormatter spent more than the request's parsing there).
     * Years 0000-9999: what the format's four digits hold.
     */
    public static String format(FileTime time) {
        return new String(imfFixdate(time), StandardCharsets.US_ASCII);
    }

    /**
     * {@link #format}'s 29 ASCII bytes, shared with other callers: never to be changed. The last second
     * asked for is kept, so a run of files from the same second encodes it once.
     */
    static byte[] imfFixdate(FileTime time) {
        long seconds = time.to(TimeUnit.SECONDS);
        Encoded known = last;
        if (known.seconds() == seconds) {
            return known.ascii();
        }
        byte[] out = imfFixdate(seconds);
        last = new Encoded(seconds, out);
        return out;
    }

    /** IMF-fixdate of {@code seconds} since the epoch, encoded afresh (no cache: the caller keeps its own). */
    static byte[] imfFixdate(long seconds) {
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(days);
        byte[] out = new byte[29];
        int dayOfWeek = (int) Math.floorMod(days + 4, 7); // 1970-01-01 was a Thursday; 0 is Sunday
        System.arraycopy(DAY_NAMES, dayOfWeek * 3, out, 0, 3);
        out[3] = ',';
        out[4] = ' ';
        twoDigits(out, 5, date.getDayOfMonth());
        out[7] = ' ';
        System.arraycopy(MONTH_NAMES, (date.getMonthValue() - 1) * 3, out, 8, 3);
        out[11] = ' ';
        int year = date.getYear();
        twoDigits(out, 12, year / 100);
        twoDigits(out, 14, year % 100);
        out[16] = ' ';
        twoDigits(out, 17, secondOfDay / 3600);
        out[19] = ':';
        twoDigits(out, 20, secondOfDay / 60 % 60);
        out[22] = ':';
        twoDigits(out, 23, secondOfDay % 60);
        out[25] = ' ';
        out[26] = 'G';
        out[27] = 'M';
        out[28] = 'T';
        return out;
    }

    private static void twoDigits(byte[] out, int at, int value) {
        out[at] = (byte) ('0' + value / 10);
        out[at + 1] = (byte) ('0' + value % 10);
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
