// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code layerstore.access} logger, in the Common Log Format followed by
 * the transmit engine that carried the body and the duration:
 * {@code host - user [10/Oct/2026:13:55:36 +0000] "GET /f/a HTTP/1.1" 200 2326 engine=sendfile 3ms}.
 * A body that did not go out in full shows {@code -} as its size.
 *
 * <p>The request's thread only queues the line's fields ({@link AccessLogWriter}); the line is built and
 * written on the log's own thread, at most {@value #INTERVAL_MILLIS} ms later. If more than
 * {@value #CAPACITY} lines wait (the console or journald far slower than the requests), the rest are
 * dropped and a WARN line says how many: the event loop never waits for the log.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("layerstore.access");
    /** Lines that may wait to be written. */
    static final int CAPACITY = 65_536;
    /** How long a line may wait to be written. */
    static final long INTERVAL_MILLIS = 100;
    private static final DateTimeFormatter CLF_DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    private static final AccessLogWriter<Line> WRITER = new AccessLogWriter<>(CAPACITY, INTERVAL_MILLIS,
            TimeUnit.MILLISECONDS, new LineFormat()::write,
            dropped -> LOG.warn("{} access-log lines dropped: the log's output could not keep up", dropped));

    private AccessLog() {
    }

    /** A request's fields, as the request's thread knows them when its response completes. */
    private record Line(SocketAddress client, String user, String method, String uri, String protocol, int status,
            long bytes, String engine, long millis, long epochMillis) {
    }

    /** Whether access lines are written (the {@code layerstore.access} logger at INFO). */
    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    static void record(SocketAddress client, String user, String method, String uri, String protocol, int status,
            long bytes, String engine, long startNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        WRITER.offer(new Line(client, user, method, uri, protocol, status, bytes, engine,
                (System.nanoTime() - startNanos) / 1_000_000, System.currentTimeMillis()));
    }

    /** Writes every line recorded so far; returns when they are written (at most a few seconds). */
    static void flush() {
        WRITER.flush(5, TimeUnit.SECONDS);
    }

    /** Builds and writes lines on the writer's thread, which alone uses it. */
    private static final class LineFormat {
        private final StringBuilder text = new StringBuilder(256);
        private long dateSecond = Long.MIN_VALUE;
        private String date;

        void write(Line l) {
            text.setLength(0);
            text.append(l.client instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(l.client))
                    .append(" - ")
                    .append(l.user == null ? "-" : PathRefusedException.quote(l.user.replace(' ', '_')).replace("\"", ""))
                    .append(" [").append(date(l.epochMillis)).append("] ")
                    .append(PathRefusedException.quote(l.method + " " + l.uri + " " + l.protocol)).append(' ')
                    .append(l.status).append(' ')
                    .append(l.bytes < 0 ? "-" : Long.toString(l.bytes))
                    .append(" engine=").append(l.engine).append(' ').append(l.millis).append("ms");
            LOG.info(text.toString());
        }

        private String date(long epochMillis) {
            long second = Math.floorDiv(epochMillis, 1000);
            if (second != dateSecond) {
                dateSecond = second;
                date = CLF_DATE.format(Instant.ofEpochSecond(second).atZone(ZoneId.systemDefault()));
            }
            return date;
        }
    }
}
