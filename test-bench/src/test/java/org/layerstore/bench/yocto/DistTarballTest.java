// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.bench.ExternalCommand;

/**
 * yocto/scripts/make-dist-tarball packs what the appliance recipe's do_compile and do_install read, from the
 * distribution the reactor has just built (services/target/dist), the same bytes each time.
 */
class DistTarballTest {

    @TempDir
    Path dir;

    @Test
    void theTarballHoldsEveryInputOfTheRecipeAndIsReproducible() throws Exception {
        Path script = MetaLayerstoreTest.REPO.resolve("yocto/scripts/make-dist-tarball");
        Path first = dir.resolve("first.tar.gz");
        Path second = dir.resolve("second.tar.gz");
        ExternalCommand.run(120, script.toString(), "--no-build", first.toString()).requireSuccess("make-dist-tarball");
        ExternalCommand.run(120, script.toString(), "--no-build", second.toString()).requireSuccess("make-dist-tarball");

        List<String> entries = List.of(ExternalCommand.run(60, "tar", "tzf", first.toString())
                .requireSuccess("tar").output().split("\n"));
        for (String needed : List.of(
                "layerstore-dist/dist/bin/layerstore",
                "layerstore-dist/dist/etc/layerstore/layerstore.yaml",
                "layerstore-dist/dist/systemd/layerstore.service",
                "layerstore-dist/hal/src/main/c/Makefile",
                "layerstore-dist/hal/include/layerstore/hal.h",
                "layerstore-dist/LICENSE",
                "layerstore-dist/NOTICE")) {
            assertTrue(entries.contains(needed), needed + " missing from " + entries);
        }
        assertTrue(entries.stream().anyMatch(e -> e.matches("layerstore-dist/lib/layerstore-services-.*\\.jar")), entries.toString());
        assertTrue(entries.stream().anyMatch(e -> e.matches("layerstore-dist/lib/layerstore-board-.*\\.jar")), entries.toString());
        assertArrayEquals(Files.readAllBytes(first), Files.readAllBytes(second), "two runs gave different tarballs");
    }
}
