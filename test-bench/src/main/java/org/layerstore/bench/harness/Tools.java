// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the external programs the harness drives (wrk, nginx, gcc) on PATH or in /usr/sbin. */
final class Tools {

    private Tools() {
    }

    static Optional<Path> find(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty()) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    static Path require(String name, String installHint) throws IOException {
        return find(name).orElseThrow(() -> new IOException(name + " is not installed (" + installHint
                + "; test-bench/setup/install-test-deps installs it)"));
    }
}
