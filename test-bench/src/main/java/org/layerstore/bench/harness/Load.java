// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.util.List;

/**
 * One load wrk puts on a server: a set of files requested in turn by {@code connections} keep-alive
 * connections.
 *
 * @param name        the cell name in results ("big-256MiB", "small-4KiB", ...)
 * @param method      GET or HEAD
 * @param pathPattern the URL path with one %d for the file number
 * @param fileCount   how many files the pattern covers
 * @param connections concurrent connections
 * @param fileBytes   size of each file
 */
record Load(String name, String method, String pathPattern, int fileCount, int connections, long fileBytes) {

    /** The four loads of the issue, sized by the settings (smoke runs use small files). */
    static List<Load> standard(BenchFiles files) {
        return List.of(
                new Load("big-" + BenchFiles.sizeName(files.bigBytes()), "GET", files.bigPattern(), 1, 4, files.bigBytes()),
                new Load("small-4KiB", "GET", files.smallPattern(), files.smallCount(), 32, BenchFiles.SMALL_BYTES),
                new Load("medium-1MiB", "GET", files.mediumPattern(), files.mediumCount(), 16, BenchFiles.MEDIUM_BYTES),
                // wrk 4.1 waits for a body after HEAD when Content-Length is non-zero, so HEAD goes to empty files.
                new Load("head", "HEAD", files.emptyPattern(), files.emptyCount(), 32, 0));
    }

    /** The same files with a different number of connections (the heap probe's 256). */
    Load withConnections(int newConnections) {
        return new Load(name + "-c" + newConnections, method, pathPattern, fileCount, newConnections, fileBytes);
    }
}
