// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * ratios.svg: for each load and each measured appliance variant, bars of the appliance/nginx ratio of
 * throughput (higher is better) and of CPU seconds per GiB or per request (lower is better), with the
 * 1.0 line (nginx) and the targets marked. Plain SVG written directly: no plotting dependency.
 */
final class RatioPlot {

    static final String FILE = "ratios.svg";

    private static final int LABEL_WIDTH = 260;
    private static final int PLOT_WIDTH = 520;
    private static final int BAR = 14;
    private static final double MAX_RATIO = 2.0;

    private RatioPlot() {
    }

    static void write(Path dir, List<CellResult> cells, String title) throws IOException {
        List<CellResult> measured = cells.stream()
                .filter(c -> c.isMeasured() && !c.server().equals(ServerComparison.BASELINE)).toList();
        StringBuilder bars = new StringBuilder();
        int y = 60;
        String lastLoad = null;
        for (CellResult cell : measured) {
            if (!cell.load().equals(lastLoad)) {
                y += 10;
                bars.append(text(10, y + 4, cell.load(), "bold"));
                y += 14;
                lastLoad = cell.load();
            }
            boolean bytesMatter = cell.median(CellRound.Metric.THROUGHPUT) >= 100;
            String speedMetric = bytesMatter ? CellRound.Metric.THROUGHPUT : CellRound.Metric.REQUESTS_PER_SECOND;
            String cpuMetric = bytesMatter ? CellRound.Metric.CPU_PER_GIB : CellRound.Metric.CPU_PER_REQUEST;
            y = bar(bars, y, cell.server() + (bytesMatter ? " throughput" : " req/s"), cell.ratioToNginx().get(speedMetric), "#3b7dd8");
            y = bar(bars, y, cell.server() + (bytesMatter ? " CPU/GiB" : " CPU/request"), cell.ratioToNginx().get(cpuMetric), "#d8843b");
        }
        int height = y + 40;
        double one = x(1.0);
        String svg = """
                <svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">
                <rect width="100%%" height="100%%" fill="white"/>
                %s
                %s
                <line x1="%.1f" y1="50" x2="%.1f" y2="%d" stroke="black" stroke-dasharray="4 3"/>
                %s
                %s
                %s
                </svg>
                """.formatted(LABEL_WIDTH + PLOT_WIDTH + 60, height,
                text(10, 20, title, "bold"),
                text(10, 38, "appliance / nginx (1.0 = nginx). Blue: speed, higher is better. Orange: CPU, lower is better.", "normal"),
                one, one, height - 25, bars, axis(height - 25), text(LABEL_WIDTH, height - 5, "ratio to nginx (bars past "
                        + MAX_RATIO + " are clipped; the number is exact)", "normal"));
        Files.writeString(dir.resolve(FILE), svg);
    }

    private static int bar(StringBuilder out, int y, String label, Double ratio, String colour) {
        out.append(text(20, y + BAR - 3, label, "normal"));
        if (ratio == null || ratio.isNaN()) {
            out.append(text(LABEL_WIDTH, y + BAR - 3, "n/a", "normal"));
        } else {
            double width = x(Math.min(ratio, MAX_RATIO)) - LABEL_WIDTH;
            out.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL_WIDTH, y, width, BAR, colour));
            out.append(text((int) (LABEL_WIDTH + width + 4), y + BAR - 3, String.format(Locale.ROOT, "%.2f", ratio), "normal"));
        }
        return y + BAR + 4;
    }

    private static String axis(int y) {
        List<String> ticks = new ArrayList<>();
        for (double r = 0; r <= MAX_RATIO + 1e-9; r += 0.5) {
            ticks.add(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%s",
                    x(r), y, x(r), y + 4, text((int) x(r) - 8, y + 16, String.format(Locale.ROOT, "%.1f", r), "normal")));
        }
        return String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>%n",
                LABEL_WIDTH, y, x(MAX_RATIO), y) + String.join("\n", ticks);
    }

    private static double x(double ratio) {
        return LABEL_WIDTH + ratio / MAX_RATIO * PLOT_WIDTH;
    }

    private static String text(int x, int y, String s, String weight) {
        String escaped = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return "<text x=\"" + x + "\" y=\"" + y + "\" font-weight=\"" + weight + "\">" + escaped + "</text>\n";
    }
}
