// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code layerstore.access} logger, in the Common Log Format followed by
 * the transmit engine that carried the body and the duration:
 * {@code host - user [10/Oct/2026:13:55:36 +0000] "GET /f/a HTTP/1.1" 200 2326 engine=sendfile 3ms}.
 * A body that did not go out in full shows {@code -} as its size.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("layerstore.access");
    private static final DateTimeFormatter CLF_DATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);

    private AccessLog() {
    }

    /** Whether access lines are written (the {@code layerstore.access} logger at INFO). */
    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    static void record(SocketAddress client, String user, String requestLine, int status, long bytes, String engine,
            long startNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String host = client instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(client);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.info("{} - {} [{}] {} {} {} engine={} {}ms", host, user == null ? "-" : PathRefusedException.quote(user.replace(' ', '_')).replace("\"", ""),
                CLF_DATE.format(ZonedDateTime.now()), PathRefusedException.quote(requestLine), status,
                bytes < 0 ? "-" : Long.toString(bytes), engine, millis);
    }
}
