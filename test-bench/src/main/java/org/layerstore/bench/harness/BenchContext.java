// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * What every step of a run shares: the bench files, the appliance launcher, wrk, the scratch folder,
 * the progress log and the repository (whose {@code ./layerstore} is the launcher users run).
 */
record BenchContext(BenchFiles files, ApplianceLauncher launcher, Wrk wrk, Path workDir, PrintStream log, Path repo) {
}
