// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ApacheBench ({@code ab} from apache2-utils) for the load wrk cannot make: {@code -i} (HEAD) with a new
 * connection for every request, which measures accepting, setting up and closing connections.
 */
final class ApacheBench {

    /**
     * ab's request cap: with {@code -t} it stops at the time limit or at this many requests. It keeps 32
     * bytes of statistics per request, so this costs 64 MiB, and it is more than 200,000 requests/s for 8 s.
     */
    static final int MAX_REQUESTS = 2_000_000;
    private static final Pattern FIELD = Pattern.compile("^([A-Za-z0-9 -]+):\\s+([0-9.]+)");
    private static final Pattern PERCENTILE = Pattern.compile("^\\s*(\\d+)%\\s+(\\d+)");

    private ApacheBench() {
    }

    /** The command line of {@code load} against {@code baseUrl} for {@code duration}. */
    static List<String> command(String baseUrl, Load load, Duration duration) {
        return List.of("ab", "-q", "-i", "-c", Integer.toString(load.connections()), "-t",
                Long.toString(Math.max(1, duration.toSeconds())), "-n", Integer.toString(MAX_REQUESTS), "-s", "30",
                baseUrl + load.pathPattern());
    }

    static WrkRun run(String baseUrl, Load load, Duration duration) throws IOException, InterruptedException {
        Tools.require("ab", "apt-get install apache2-utils");
        List<String> command = command(baseUrl, load, duration);
        return parse(ManagedProcess.runToEnd("ab " + load.name(), command, duration.plusSeconds(60)));
    }

    /** ab's report: counts, bytes, time taken and the percentile table (milliseconds, whole numbers). */
    static WrkRun parse(List<String> report) throws IOException {
        double seconds = -1;
        long complete = -1;
        long failed = 0;
        long non2xx = 0;
        long bytes = 0;
        double meanMillis = 0;
        long[] percentiles = new long[101];
        for (String line : report) {
            Matcher f = FIELD.matcher(line);
            if (f.find()) {
                String name = f.group(1).trim();
                String value = f.group(2);
                switch (name) {
                    case "Time taken for tests" -> seconds = Double.parseDouble(value);
                    case "Complete requests" -> complete = Long.parseLong(value);
                    case "Failed requests" -> failed = Long.parseLong(value);
                    case "Non-2xx responses" -> non2xx = Long.parseLong(value);
                    case "Total transferred" -> bytes = Long.parseLong(value);
                    case "Time per request" -> { // twice: first the mean latency, then the mean over all connections
                        if (meanMillis == 0) {
                            meanMillis = Double.parseDouble(value);
                        }
                    }
                    default -> {
                        // other fields are not used
                    }
                }
                continue;
            }
            Matcher p = PERCENTILE.matcher(line);
            if (p.find()) {
                percentiles[Integer.parseInt(p.group(1))] = Long.parseLong(p.group(2));
            }
        }
        if (seconds <= 0 || complete < 0) {
            throw new IOException("not an ab report:\n" + String.join("\n", report));
        }
        long p99 = percentiles[99] * 1000; // ab's table has no 99.9 %: its 99 % stands in
        return new WrkRun(complete, bytes, Math.round(seconds * 1e6), failed + non2xx,
                new WrkRun.Latency(percentiles[50] * 1000, percentiles[90] * 1000, p99, p99, percentiles[100] * 1000,
                        meanMillis * 1000));
    }
}
