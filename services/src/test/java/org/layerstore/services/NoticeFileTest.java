// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The repository's NOTICE is the one this build renders from the distribution's Maven dependencies (the
 * license-maven-plugin execution "notice" in services/pom.xml, at generate-resources), so a dependency added,
 * removed or upgraded without regenerating it fails here.
 */
class NoticeFileTest {

    private static final Path GENERATED = Path.of("target/generated-sources/license/NOTICE");
    private static final Path COMMITTED = Path.of("../NOTICE");
    private static final String REGENERATE = "./mvnw -B -q -pl services -am -DskipTests generate-resources"
            + " && cp services/target/generated-sources/license/NOTICE NOTICE";

    @Test
    void theRepositoryNoticeIsTheOneGeneratedFromTheDependencies() throws IOException {
        assertTrue(Files.isRegularFile(GENERATED), GENERATED.toAbsolutePath() + " is missing: the build did not run"
                + " license-maven-plugin's add-third-party (execution \"notice\" in services/pom.xml)");
        List<String> generated = Files.readAllLines(GENERATED);
        List<String> committed = Files.isRegularFile(COMMITTED) ? Files.readAllLines(COMMITTED) : List.of();
        assertTrue(generated.equals(committed), () -> "NOTICE differs from what the Maven dependencies generate;"
                + " regenerate it from the repository root with\n  " + REGENERATE
                + "\nlines only in the generated one: " + without(generated, committed)
                + "\nlines only in the repository's: " + without(committed, generated));
    }

    private static List<String> without(List<String> lines, List<String> others) {
        List<String> rest = new ArrayList<>(lines);
        rest.removeAll(others);
        return rest;
    }
}
