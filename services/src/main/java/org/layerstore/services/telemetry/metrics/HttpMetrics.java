// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.List;

import org.layerstore.services.http.HttpStats;

/** The HTTP server's load and errors by class. Group {@code http}. */
public final class HttpMetrics implements MetricsSource {

    private static final String GROUP = "http";

    private final HttpStats stats;
    private final RateMeter rates = new RateMeter();

    public HttpMetrics(HttpStats stats) {
        this.stats = stats;
    }

    @Override
    public List<Metric> sample() {
        long requests = stats.requests();
        return List.of(
                Metric.gauge(GROUP, "requests_per_second", Math.round(rates.perSecond("requests", requests) * 100) / 100.0, "1/s"),
                Metric.counter(GROUP, "requests", requests, ""),
                Metric.gauge(GROUP, "active_connections", stats.activeConnections(), ""),
                Metric.counter(GROUP, "client_errors", stats.clientErrors(), ""),
                Metric.counter(GROUP, "server_errors", stats.serverErrors(), ""),
                Metric.counter(GROUP, "connection_errors", stats.connectionErrors(), ""));
    }
}
