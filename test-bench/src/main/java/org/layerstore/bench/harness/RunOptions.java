// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * The options every benchmark run takes (a picocli mixin of {@code run-benchmarks} and of its
 * {@code offload-port} subcommand): where results and scratch files go, smoke mode, rounds, cell length.
 * Unset numbers mean the run's own defaults, which each command's description gives.
 */
final class RunOptions {

    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: REPO/test-bench/target/bench-results).")
    Path out;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Scratch folder for files and server state (default: a new temp folder, removed at the end).")
    Path work;

    @Option(names = "--smoke", description = "One round of short cells on small files: checks every step works; proves nothing "
            + "about speed.")
    boolean smoke;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds (default: the run's, see above; smoke 1).")
    Integer rounds;

    @Option(names = "--cell-seconds", paramLabel = "S", description = "wrk duration per cell and round (default: the run's).")
    Integer cellSeconds;

    /** Where results go for the checkout {@code repo}. */
    Path outDir(Path repo) {
        return out != null ? out : repo.resolve("test-bench/target/bench-results");
    }
}
