package org.layerstore.services.http;

import java.nio.file.attribute.FileTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** HTTP dates (RFC 9110 IMF-fixdate), to the second as HTTP carries them. */
final class HttpDates {

    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    static String format(FileTime time) {
        return IMF_FIXDATE.format(time.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }
}
