// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

/**
 * Limits that protect the appliance from clients that send too much or too slowly. Every field has a
 * named default; see docs/configuration.md ({@code http.limits}).
 *
 * @param maxHeaderBytes          total size of a request's header block; more answers 431
 * @param maxRequestLineBytes     length of the request line (method, target, version); more answers 414
 * @param maxUploadBytes          size of one uploaded file (PUT body); more answers 413
 * @param maxXmlBodyBytes         size of a WebDAV XML request body (PROPFIND, PROPPATCH, LOCK); more answers 413
 * @param maxConnections          open client connections; more are closed at once after a 503
 * @param idleTimeoutSeconds      a connection that sends nothing for this long is closed (also mid-body)
 * @param requestTimeoutSeconds   a request's headers must arrive within this long of its first byte; else 408
 * @param maxPropfindEntries      resources one PROPFIND may describe (a Depth 1 listing streams them); more answers 507
 * @param maxPropfindResponseBytes size of a Depth 0 PROPFIND response body (built whole); more answers 507
 * @param maxRanges               ranges in one Range header; more are ignored and the whole file is sent
 * @param maxOverlappingRanges    ranges that overlap another; more are ignored and the whole file is sent
 * @param maxConnectionsPerClient open connections from one client address; more are closed at once after a 503
 */
public record LimitSettings(Integer maxHeaderBytes, Integer maxRequestLineBytes, Long maxUploadBytes,
        Integer maxXmlBodyBytes, Integer maxConnections, Integer idleTimeoutSeconds, Integer requestTimeoutSeconds,
        Integer maxPropfindEntries, Integer maxPropfindResponseBytes, Integer maxRanges, Integer maxOverlappingRanges,
        Integer maxConnectionsPerClient) {

    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8 * 1024;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 64L << 30;
    public static final int DEFAULT_MAX_XML_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_CONNECTIONS = 1024;
    public static final int DEFAULT_IDLE_TIMEOUT_SECONDS = 60;
    public static final int DEFAULT_REQUEST_TIMEOUT_SECONDS = 30;
    public static final int DEFAULT_MAX_PROPFIND_ENTRIES = 1_000_000;
    public static final int DEFAULT_MAX_PROPFIND_RESPONSE_BYTES = 16 << 20;
    public static final int DEFAULT_MAX_RANGES = 16;
    public static final int DEFAULT_MAX_OVERLAPPING_RANGES = 2;
    /** As a NAS allows one host: enough for a sync client's parallel transfers, far from all of {@link #DEFAULT_MAX_CONNECTIONS}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;

    public LimitSettings {
        maxHeaderBytes = positive("maxHeaderBytes", maxHeaderBytes, DEFAULT_MAX_HEADER_BYTES);
        maxRequestLineBytes = positive("maxRequestLineBytes", maxRequestLineBytes, DEFAULT_MAX_REQUEST_LINE_BYTES);
        maxUploadBytes = maxUploadBytes == null ? DEFAULT_MAX_UPLOAD_BYTES : maxUploadBytes;
        if (maxUploadBytes < 0) {
            throw new ConfigException("http.limits.maxUploadBytes must be >= 0, got " + maxUploadBytes);
        }
        maxXmlBodyBytes = positive("maxXmlBodyBytes", maxXmlBodyBytes, DEFAULT_MAX_XML_BODY_BYTES);
        maxConnections = positive("maxConnections", maxConnections, DEFAULT_MAX_CONNECTIONS);
        idleTimeoutSeconds = positive("idleTimeoutSeconds", idleTimeoutSeconds, DEFAULT_IDLE_TIMEOUT_SECONDS);
        requestTimeoutSeconds = positive("requestTimeoutSeconds", requestTimeoutSeconds, DEFAULT_REQUEST_TIMEOUT_SECONDS);
        maxPropfindEntries = positive("maxPropfindEntries", maxPropfindEntries, DEFAULT_MAX_PROPFIND_ENTRIES);
        maxPropfindResponseBytes = positive("maxPropfindResponseBytes", maxPropfindResponseBytes,
                DEFAULT_MAX_PROPFIND_RESPONSE_BYTES);
        maxRanges = positive("maxRanges", maxRanges, DEFAULT_MAX_RANGES);
        maxOverlappingRanges = maxOverlappingRanges == null ? DEFAULT_MAX_OVERLAPPING_RANGES : maxOverlappingRanges;
        if (maxOverlappingRanges < 0) {
            throw new ConfigException("http.limits.maxOverlappingRanges must be >= 0, got " + maxOverlappingRanges);
        }
        maxConnectionsPerClient = positive("maxConnectionsPerClient", maxConnectionsPerClient,
                DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
    }

    /** The limits without a per-client connection limit of their own: it takes its default. */
    public LimitSettings(Integer maxHeaderBytes, Integer maxRequestLineBytes, Long maxUploadBytes,
            Integer maxXmlBodyBytes, Integer maxConnections, Integer idleTimeoutSeconds, Integer requestTimeoutSeconds,
            Integer maxPropfindEntries, Integer maxPropfindResponseBytes, Integer maxRanges, Integer maxOverlappingRanges) {
        this(maxHeaderBytes, maxRequestLineBytes, maxUploadBytes, maxXmlBodyBytes, maxConnections, idleTimeoutSeconds,
                requestTimeoutSeconds, maxPropfindEntries, maxPropfindResponseBytes, maxRanges, maxOverlappingRanges, null);
    }

    /** These limits with {@code perClient} connections from one client address at most. */
    public LimitSettings withMaxConnectionsPerClient(int perClient) {
        return new LimitSettings(maxHeaderBytes, maxRequestLineBytes, maxUploadBytes, maxXmlBodyBytes, maxConnections,
                idleTimeoutSeconds, requestTimeoutSeconds, maxPropfindEntries, maxPropfindResponseBytes, maxRanges,
                maxOverlappingRanges, perClient);
    }

    /** These limits with connections closed after {@code seconds} without traffic. */
    public LimitSettings withIdleTimeoutSeconds(int seconds) {
        return new LimitSettings(maxHeaderBytes, maxRequestLineBytes, maxUploadBytes, maxXmlBodyBytes, maxConnections,
                seconds, requestTimeoutSeconds, maxPropfindEntries, maxPropfindResponseBytes, maxRanges,
                maxOverlappingRanges, maxConnectionsPerClient);
    }

    public static LimitSettings defaults() {
        return new LimitSettings(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static int positive(String key, Integer value, int fallback) {
        if (value == null) {
            return fallback;
        }
        if (value <= 0) {
            throw new ConfigException("http.limits." + key + " must be > 0, got " + value);
        }
        return value;
    }
}
