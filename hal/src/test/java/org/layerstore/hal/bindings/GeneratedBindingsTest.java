// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed bindings are what the committed headers and include lists generate. */
class GeneratedBindingsTest {

    private static final Path HAL = Path.of("").toAbsolutePath();
    private static final Path JEXTRACT_DIR = HAL.resolve("jextract");
    private static final Path COMMITTED = HAL.resolve("src/main/java/org/layerstore/hal/bindings");

    @Test
    void headersSha256MatchesTheHeadersTheBindingsCameFrom() throws IOException, NoSuchAlgorithmException {
        List<String> lines = Files.readAllLines(JEXTRACT_DIR.resolve("headers.sha256"));
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            String expected = line.substring(0, 64);
            String file = line.substring(66);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(JEXTRACT_DIR.resolve(file)));
            assertEquals(expected, HexFormat.of().formatHex(digest),
                    file + " changed since the bindings were generated: run hal/jextract/generate-bindings.sh");
        }
        try (Stream<Path> headers = Files.list(HAL.resolve("include/layerstore"))) {
            headers.forEach(h -> assertTrue(lines.stream().anyMatch(l -> l.endsWith("include/layerstore/" + h.getFileName())),
                    h + " is not listed in headers.sha256"));
        }
    }

    @Test
    void regeneratingWithJextractGivesTheCommittedSourcesByteForByte(@TempDir Path out) throws Exception {
        Optional<Path> jextract = onPath("jextract");
        assumeTrue(jextract.isPresent(), "jextract is not on PATH: regeneration not checked (build openjdk/jextract "
                + "outside the repository and put its bin/ on PATH to check it)");
        Process process = new ProcessBuilder("bash", JEXTRACT_DIR.resolve("generate-bindings.sh").toString(), out.toString())
                .redirectErrorStream(true).redirectOutput(out.resolveSibling(out.getFileName() + ".log").toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "generate-bindings.sh did not finish in 5 minutes");
        assertEquals(0, process.exitValue(), () -> "generate-bindings.sh failed: " + log(out));
        Map<String, byte[]> generated = contents(out.resolve("org/layerstore/hal/bindings"));
        Map<String, byte[]> committed = contents(COMMITTED);
        assertEquals(committed.keySet(), generated.keySet(), "generated file set");
        List<String> differing = new ArrayList<>();
        committed.forEach((name, bytes) -> {
            if (!java.util.Arrays.equals(bytes, generated.get(name))) {
                differing.add(name);
            }
        });
        assertEquals(List.of(), differing, "files that differ from a fresh generation");
    }

    private static String log(Path out) {
        try {
            return Files.readString(out.resolveSibling(out.getFileName() + ".log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Map<String, byte[]> contents(Path root) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(File.pathSeparator)).map(dir -> Path.of(dir, command))
                .filter(Files::isExecutable).findFirst();
    }
}
