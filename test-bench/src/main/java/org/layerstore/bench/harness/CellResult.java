// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.List;
import java.util.Map;

/**
 * One server under one load over every round: the rounds, their medians and ranges, and the ratio of
 * each median to nginx's. {@code engine} is the configured engine (null: the build's default),
 * {@code engineUsed} the one the appliance's access log reported. An unavailable variant has a status
 * "unavailable: reason" and no numbers.
 */
record CellResult(String server, String engine, String engineUsed, String load, String status,
        List<Map<String, Double>> rounds, Map<String, Spread> summary, Map<String, Double> ratioToNginx) {

    static final String MEASURED = "measured";

    static CellResult unavailable(String server, String engine, String load, String reason) {
        return new CellResult(server, engine, null, load, "unavailable: " + reason, List.of(), Map.of(), Map.of());
    }

    static CellResult measured(String server, String engine, String engineUsed, String load, List<CellRound> rounds) {
        List<Map<String, Double>> metrics = rounds.stream().map(CellRound::metrics).toList();
        Map<String, Spread> summary = Spread.ofRounds(metrics);
        return new CellResult(server, engine, engineUsed, load, MEASURED, metrics, summary, Map.of());
    }

    boolean isMeasured() {
        return MEASURED.equals(status);
    }

    /** This cell with the ratio of each median to the baseline's median (where the baseline's is non-zero). */
    CellResult withRatiosTo(CellResult baseline) {
        Map<String, Double> ratios = Spread.ratios(summary, baseline.summary);
        return new CellResult(server, engine, engineUsed, load, status, rounds, summary, ratios);
    }

    double median(String metric) {
        Spread s = summary.get(metric);
        return s == null ? Double.NaN : s.median();
    }
}
