// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.List;

/**
 * One load a client puts on a server: a set of files requested in turn by {@code connections}
 * connections, kept alive (wrk) or one per request (ab -i).
 *
 * @param name        the cell name in results ("big-256MiB", "small-4KiB", ...)
 * @param method      GET or HEAD
 * @param pathPattern the URL path with one %d for the file number (none when the load asks for one file)
 * @param fileCount   how many files the pattern covers
 * @param connections concurrent connections
 * @param fileBytes   size of each file
 * @param client      what generates the load
 * @param threads     the client's threads (wrk's -t; ab has one)
 */
record Load(String name, String method, String pathPattern, int fileCount, int connections, long fileBytes,
        Client client, int threads) {

    /** The load generators, both from Debian. */
    enum Client {
        /** wrk 4.1 with the harness's Lua script (load.lua): keep-alive connections walking the file set. */
        WRK,
        /** ApacheBench (apache2-utils) with {@code -i}: HEAD, a new connection for every request. */
        AB
    }

    /**
     * The harness's loads (a Lua script walking the file set, two wrk threads) first, then the shapes of
     * issue 18's table (one file, one wrk thread; HEAD with a new connection per request), sized by the
     * settings (smoke runs use small files). The two sets differ in what they load: two wrk threads take
     * most of one core of a two-core machine from the server, one thread less; one file stays in every
     * cache, a thousand do not quite.
     */
    static List<Load> standard(BenchFiles files) {
        String big = BenchFiles.sizeName(files.bigBytes());
        return List.of(
                new Load("big-" + big, "GET", files.bigPattern(), 1, 4, files.bigBytes(), Client.WRK, 2),
                new Load("small-4KiB", "GET", files.smallPattern(), files.smallCount(), 32, BenchFiles.SMALL_BYTES, Client.WRK, 2),
                new Load("medium-1MiB", "GET", files.mediumPattern(), files.mediumCount(), 16, BenchFiles.MEDIUM_BYTES,
                        Client.WRK, 2),
                // wrk 4.1 waits for a body after HEAD when Content-Length is non-zero, so HEAD goes to empty files.
                new Load("head", "HEAD", files.emptyPattern(), files.emptyCount(), 32, 0, Client.WRK, 2),
                new Load("small-4KiB-t1", "GET", files.smallPattern(), files.smallCount(), 32, BenchFiles.SMALL_BYTES,
                        Client.WRK, 1),
                new Load("one-" + big + "-t1", "GET", first(files.bigPattern()), 1, 4, files.bigBytes(), Client.WRK, 1),
                new Load("one-1MiB-t1", "GET", first(files.mediumPattern()), 1, 16, BenchFiles.MEDIUM_BYTES, Client.WRK, 1),
                new Load("one-4KiB-t1", "GET", first(files.smallPattern()), 1, 32, BenchFiles.SMALL_BYTES, Client.WRK, 1),
                new Load("head-new-connection", "HEAD", first(files.smallPattern()), 1, 32, BenchFiles.SMALL_BYTES,
                        Client.AB, 1));
    }

    private static String first(String pattern) {
        return String.format(pattern, 0);
    }

    /** The same files with a different number of connections (the heap probe's). */
    Load withConnections(int newConnections) {
        return new Load(name + "-c" + newConnections, method, pathPattern, fileCount, newConnections, fileBytes, client,
                threads);
    }
}
