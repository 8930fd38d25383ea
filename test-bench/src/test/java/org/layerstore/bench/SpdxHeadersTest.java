// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every project source file names its license, "SPDX-License-Identifier: Apache-2.0", in a comment of its own
 * syntax (test-bench/setup/spdx-headers adds it; its --check lists the files without it).
 */
class SpdxHeadersTest {

    private static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    private static final Path SCRIPT = REPO.resolve("test-bench/setup/spdx-headers");
    private static final String ID = "SPDX-License-Identifier: Apache-2.0";

    @TempDir
    Path dir;

    @Test
    void everyTrackedSourceFileNamesTheApacheLicense() throws Exception {
        ExternalCommand check = ExternalCommand.run(120, "bash", SCRIPT.toString(), "--check");
        assertEquals(0, check.exitCode(), "tracked source files without the SPDX identifier; add it with "
                + "test-bench/setup/spdx-headers:\n" + check.output());
    }

    /** A file of the made-up repository: its content before the script runs, and after (the same when not source). */
    private record Sample(String name, String before, String after) {

        boolean source() {
            return !before.equals(after);
        }
    }

    private static final List<Sample> SAMPLES = List.of(
            new Sample("src/A.java", "package a;\n", "// " + ID + "\npackage a;\n"),
            new Sample("src/a.c", "#include <stdio.h>\n", "/* " + ID + " */\n#include <stdio.h>\n"),
            new Sample("include/a.h", "/*\n * A header.\n */\n", "/* " + ID + " */\n/*\n * A header.\n */\n"),
            new Sample("web/app.js", "'use strict';\n", "// " + ID + "\n'use strict';\n"),
            new Sample("web/app.css", ":root {}\n", "/* " + ID + " */\n:root {}\n"),
            new Sample("web/index.html", "<!DOCTYPE html>\n<html></html>\n", "<!DOCTYPE html>\n<!-- " + ID + " -->\n<html></html>\n"),
            new Sample("pom.xml", "<?xml version=\"1.0\"?>\n<project/>\n", "<?xml version=\"1.0\"?>\n<!-- " + ID + " -->\n<project/>\n"),
            new Sample("logback.xml", "<configuration/>\n", "<!-- " + ID + " -->\n<configuration/>\n"),
            new Sample("bench/load.lua", "-- wrk script\n", "-- " + ID + "\n-- wrk script\n"),
            new Sample("run.sh", "#!/bin/sh\necho run\n", "#!/bin/sh\n# " + ID + "\necho run\n"),
            new Sample("bin/tool", "#!/usr/bin/env bash\necho tool\n", "#!/usr/bin/env bash\n# " + ID + "\necho tool\n"),
            new Sample("bin/helper", "#!/usr/bin/env python3\nprint()\n", "#!/usr/bin/env python3\n# " + ID + "\nprint()\n"),
            new Sample("c/Makefile", "all:\n", "# " + ID + "\nall:\n"),
            new Sample("yocto/r_1.0.bb", "SUMMARY = \"r\"\n", "# " + ID + "\nSUMMARY = \"r\"\n"),
            new Sample("yocto/m_%.bbappend", "PR = \"r1\"\n", "# " + ID + "\nPR = \"r1\"\n"),
            new Sample("yocto/layer.conf", "BBPATH .= \":${LAYERDIR}\"\n", "# " + ID + "\nBBPATH .= \":${LAYERDIR}\"\n"),
            new Sample("kas/target.yml", "header:\n  version: 14\n", "# " + ID + "\nheader:\n  version: 14\n"),
            new Sample("profiles/board.yaml", "name: board\n", "# " + ID + "\nname: board\n"),
            new Sample("dist/app.service", "[Unit]\n", "# " + ID + "\n[Unit]\n"),
            // Not source, or already carrying the identifier: left as they are.
            new Sample("README.md", "# Readme\n", "# Readme\n"),
            new Sample("results.json", "{}\n", "{}\n"),
            new Sample("packages.txt", "curl\n", "curl\n"),
            new Sample("mvnw", "#!/bin/sh\n# Licensed to the ASF\n", "#!/bin/sh\n# Licensed to the ASF\n"),
            new Sample("fixtures/sys/class/net/eth0/mtu", "1500\n", "1500\n"),
            new Sample("src/Done.java", "// " + ID + "\npackage a;\n", "// " + ID + "\npackage a;\n"));

    @Test
    void eachKindOfSourceFileGetsTheIdentifierInItsOwnCommentSyntaxOnce() throws Exception {
        for (Sample sample : SAMPLES) {
            write(sample.name(), sample.before());
        }
        Files.setPosixFilePermissions(dir.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-xr-x"));
        gitAddAll();

        ExternalCommand missing = ExternalCommand.run(60, "bash", SCRIPT.toString(), "--check", "-C", dir.toString());
        assertEquals(1, missing.exitCode(), missing.output());
        for (Sample sample : SAMPLES) {
            assertEquals(sample.source(), missing.output().contains("  " + sample.name() + "\n"),
                    sample.name() + " in " + missing.output());
        }

        ExternalCommand.run(60, "bash", SCRIPT.toString(), "-C", dir.toString()).requireSuccess("spdx-headers");
        for (Sample sample : SAMPLES) {
            assertEquals(sample.after(), read(sample.name()), sample.name());
        }
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("run.sh"))));

        ExternalCommand.run(60, "bash", SCRIPT.toString(), "-C", dir.toString()).requireSuccess("spdx-headers, again");
        for (Sample sample : SAMPLES) {
            assertEquals(sample.after(), read(sample.name()), sample.name() + " changed on a second run");
        }
        ExternalCommand.run(60, "bash", SCRIPT.toString(), "--check", "-C", dir.toString()).requireSuccess("spdx-headers --check");
    }

    @Test
    void aFileUnderAnotherLicenseIsLeftAsItIsAndNamed() throws Exception {
        String vendored = "// SPDX-License-Identifier: MIT\npackage vendored;\n";
        write("src/Vendored.java", vendored);
        gitAddAll();

        ExternalCommand run = ExternalCommand.run(60, "bash", SCRIPT.toString(), "-C", dir.toString());
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("another SPDX identifier") && run.output().contains("  src/Vendored.java\n"), run.output());
        assertEquals(vendored, read("src/Vendored.java"));
    }

    @Test
    void namedFilesOutsideTheRepositoryGetItTooAsTheBindingsGeneratorAsks() throws Exception {
        write("out/org/example/lib_h.java", "// Generated by jextract\n\npackage org.example;\n");
        ExternalCommand.run(60, "bash", SCRIPT.toString(), dir.resolve("out/org/example/lib_h.java").toString())
                .requireSuccess("spdx-headers FILE");
        assertEquals("// " + ID + "\n// Generated by jextract\n\npackage org.example;\n", read("out/org/example/lib_h.java"));
    }

    /** Makes the temporary folder a git work tree tracking every file in it: the script lists the tracked files. */
    private void gitAddAll() throws Exception {
        ExternalCommand.run(60, "git", "-C", dir.toString(), "init", "-q").requireSuccess("git init");
        ExternalCommand.run(60, "git", "-C", dir.toString(), "add", "-A").requireSuccess("git add");
    }

    private void write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent() == null ? dir : file.getParent());
        Files.writeString(file, content);
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve(name));
    }
}
