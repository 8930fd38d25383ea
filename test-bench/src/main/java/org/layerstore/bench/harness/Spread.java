// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Median and range of one metric over the rounds; spread = (max - min) / median. */
record Spread(double median, double min, double max, double spread) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no values to summarise");
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double min = sorted.getFirst();
        double max = sorted.getLast();
        return new Spread(median, min, max, median == 0 ? 0 : (max - min) / median);
    }

    /** Each metric's spread over the rounds (every round has the same metrics), in the rounds' order. */
    static Map<String, Spread> ofRounds(List<Map<String, Double>> rounds) {
        Map<String, Spread> summary = new LinkedHashMap<>();
        for (String name : rounds.getFirst().keySet()) {
            List<Double> values = new ArrayList<>();
            rounds.forEach(m -> values.add(m.get(name)));
            summary.put(name, of(values));
        }
        return summary;
    }

    /**
     * The ratio of each median to the baseline's, where the baseline's is not zero; errors and the load
     * average are not properties of the server and get none.
     */
    static Map<String, Double> ratios(Map<String, Spread> summary, Map<String, Spread> baseline) {
        Map<String, Double> ratios = new LinkedHashMap<>();
        summary.forEach((name, spread) -> {
            Spread base = baseline.get(name);
            if (base != null && base.median() != 0 && !name.equals(CellRound.Metric.ERRORS)
                    && !name.equals(CellRound.Metric.LOAD_AVERAGE)) {
                ratios.put(name, spread.median() / base.median());
            }
        });
        return ratios;
    }
}
