// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Only the HAL sees the jextract output: no Java source of another module (main or test) names the
 * HAL's generated {@code bindings} package. What the layers above need (open flags, splice flags,
 * MSG_ZEROCOPY sends and completions, an O_PATH descriptor, the parse results) has a hand-written,
 * typed API in {@code org.layerstore.hal}, as Netty keeps its JNI behind {@code LinuxSocket} and
 * {@code Native}. A source scan, not JPMS: the appliance, its tests and the image run every jar on the class
 * path ({@code services/target/dist/lib/*.jar}), where a module-info's exports fence nothing.
 */
class GeneratedBindingsFenceTest {

    private static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    /** Spelt in pieces, so this file does not name it. */
    private static final String PACKAGE = String.join(".", "org", "layerstore", "hal", "bindings");
    /** An import, a static import, or a fully qualified use in code. */
    private static final Pattern BINDINGS = Pattern.compile("\\b" + Pattern.quote(PACKAGE) + "\\b");

    @Test
    void noModuleButHalNamesTheGeneratedBindings() throws IOException {
        List<Path> modules;
        try (Stream<Path> top = Files.list(REPO)) {
            modules = top.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src")))
                    .filter(d -> !d.getFileName().toString().equals("hal")).sorted().toList();
        }
        assertTrue(modules.stream().map(d -> d.getFileName().toString()).toList()
                .containsAll(List.of("board", "datapath", "netstack", "services", "test-bench")), modules.toString());
        List<String> offenders;
        try (Stream<Path> sources = modules.stream().flatMap(GeneratedBindingsFenceTest::javaSources)) {
            offenders = sources.filter(GeneratedBindingsFenceTest::namesBindings).map(p -> REPO.relativize(p).toString())
                    .sorted().toList();
        }
        assertEquals(List.of(), offenders, "sources outside hal that use the generated bindings: give the HAL a "
                + "typed call or constant for what they need (see hal.libc.OpenFlags, ZerocopySocket)");
    }

    @Test
    void theScanFindsAUseWhereThereIsOne() {
        assertTrue(BINDINGS.matcher("import " + PACKAGE + ".libc.libc_h;").find());
        assertTrue(BINDINGS.matcher("int f = " + PACKAGE + ".libc.libc_h.O_PATH();").find());
        assertTrue(!BINDINGS.matcher("import org.layerstore.hal.libc.OpenFlags;").find());
    }

    private static Stream<Path> javaSources(Path module) {
        try {
            return Files.walk(module.resolve("src")).filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean namesBindings(Path source) {
        try {
            return BINDINGS.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
