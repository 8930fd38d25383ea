package org.layerstore.services.config;

/**
 * The HTTP/WebDAV listener.
 *
 * @param bind the address to listen on; {@value #DEFAULT_BIND} listens on every interface
 * @param port the TCP port; 0 picks a free one, printed at start
 */
public record HttpSettings(String bind, Integer port) {

    public static final String DEFAULT_BIND = "0.0.0.0";
    public static final int DEFAULT_PORT = 8080;

    public HttpSettings {
        bind = bind == null ? DEFAULT_BIND : bind;
        port = port == null ? DEFAULT_PORT : port;
        if (port < 0 || port > 65535) {
            throw new ConfigException("http.port must be 0-65535, got " + port);
        }
    }

    public static HttpSettings defaults() {
        return new HttpSettings(null, null);
    }

    public HttpSettings withBind(String newBind) {
        return new HttpSettings(newBind, port);
    }

    public HttpSettings withPort(int newPort) {
        return new HttpSettings(bind, newPort);
    }
}
