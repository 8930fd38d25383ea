// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

/**
 * The HTTP/WebDAV listener.
 *
 * @param bind   the address to listen on; {@value #DEFAULT_BIND} listens on every interface
 * @param port   the TCP port; 0 picks a free one, printed at start
 * @param tls    HTTPS settings; absent means plain HTTP
 * @param limits sizes and timeouts; absent means {@link LimitSettings#defaults()}
 */
public record HttpSettings(String bind, Integer port, TlsSettings tls, LimitSettings limits) {

    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public HttpSettings {
        bind = bind == null ? DEFAULT_BIND : bind;
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) {
            throw new ConfigException("http.port must be 0-65535, got " + port);
        }
        limits = limits == null ? LimitSettings.defaults() : limits;
    }

    /** Plain HTTP with default limits. */
    public HttpSettings(String bind, Integer port) {
        this(bind, port, null, null);
    }

    public static HttpSettings defaults() {
        return new HttpSettings(null, null);
    }

    public HttpSettings withBind(String newBind) {
        return new HttpSettings(newBind, port, tls, limits);
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(bind, newPort, tls, limits);
    }

    public HttpSettings withTls(TlsSettings newTls) {
        return new HttpSettings(bind, port, newTls, limits);
    }

    public HttpSettings withLimits(LimitSettings newLimits) {
        return new HttpSettings(bind, port, tls, newLimits);
    }
}
