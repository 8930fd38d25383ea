package org.layerstore.services.http;

import java.net.SocketAddress;
import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code layerstore.access} logger:
 * {@code client "METHOD target HTTP/1.1" status bytes millis}.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("layerstore.access");

    private AccessLog() {
    }

    static void record(SocketAddress client, String method, String target, String protocol, int status, long bytes,
            long startNanos) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        String host = client instanceof InetSocketAddress inet ? inet.getAddress().getHostAddress() : String.valueOf(client);
        long millis = (System.nanoTime() - startNanos) / 1_000_000;
        LOG.info("{} {} {} {} {}ms", host, PathRefusedException.quote(method + " " + target + " " + protocol), status,
                bytes, millis);
    }
}
