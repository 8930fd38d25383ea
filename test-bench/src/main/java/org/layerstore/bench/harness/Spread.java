// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
}
