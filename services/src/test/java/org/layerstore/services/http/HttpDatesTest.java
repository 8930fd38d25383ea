// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The IMF-fixdate of Last-Modified against java.time's formatter of the same pattern, and back through the parser. */
class HttpDatesTest {

    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'",
            Locale.ROOT).withZone(ZoneOffset.UTC);

    @Test
    void theRfcExampleIsWrittenAsRfc9110WritesIt() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDates.format(FileTime.from(Instant.parse("1994-11-06T08:49:37Z"))));
    }

    @Test
    void leapDaysCenturiesTheEpochAndItsEdgesMatchJavaTime() {
        for (String instant : new String[] {"1970-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "2000-02-29T12:00:00Z",
                "1900-03-01T00:00:00Z", "2100-02-28T23:59:59Z", "2024-12-31T23:59:59Z", "2038-01-19T03:14:08Z",
                "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
            Instant t = Instant.parse(instant);
            assertEquals(REFERENCE.format(t), HttpDates.format(FileTime.from(t)), instant);
        }
    }

    @Test
    void randomTimesOverFourCenturiesMatchJavaTimeAndParseBack() {
        SplittableRandom random = new SplittableRandom(18);
        long from = Instant.parse("1800-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(from, to);
            FileTime time = FileTime.from(Instant.ofEpochSecond(seconds, random.nextInt(1_000_000_000)));
            String formatted = HttpDates.format(time);
            assertEquals(REFERENCE.format(Instant.ofEpochSecond(seconds)), formatted);
            assertEquals(seconds, HttpDates.parseSeconds(formatted).orElseThrow(), formatted);
        }
    }
}
