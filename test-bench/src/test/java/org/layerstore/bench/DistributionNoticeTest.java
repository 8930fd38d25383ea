// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * NOTICE names exactly the third-party jars the distribution ships (services/target/dist/lib, what the image
 * installs): the license plugin's scopes and the distribution's copy-dependencies agree.
 */
class DistributionNoticeTest {

    private static final Path REPO = Path.of(System.getProperty("layerstore.repo"));
    /** A NOTICE entry's first line: groupId:artifactId:version at the start of the line. */
    private static final Pattern COORDINATES = Pattern.compile("^[\\w.-]+:([\\w.-]+):(\\S+)$");

    @Test
    void noticeListsEveryThirdPartyJarOfTheDistributionAndNoOther() throws IOException {
        Path lib = REPO.resolve("services/target/dist/lib");
        assertTrue(Files.isDirectory(lib), lib + " is missing: package services first");
        Set<String> jars = new TreeSet<>();
        try (Stream<Path> files = Files.list(lib)) {
            files.map(f -> f.getFileName().toString())
                    .filter(n -> n.endsWith(".jar") && !n.startsWith("layerstore-"))
                    .forEach(jars::add);
        }
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(REPO.resolve("NOTICE"))) {
            Matcher m = COORDINATES.matcher(line);
            if (m.matches()) {
                listed.add(m.group(1) + "-" + m.group(2));
            }
        }
        // A jar is artifactId-version.jar, or artifactId-version-classifier.jar (Netty's native transports).
        List<String> unlisted = jars.stream()
                .filter(j -> listed.stream().noneMatch(a -> j.equals(a + ".jar") || j.startsWith(a + "-"))).toList();
        List<String> notShipped = listed.stream()
                .filter(a -> jars.stream().noneMatch(j -> j.equals(a + ".jar") || j.startsWith(a + "-"))).toList();
        assertEquals(List.of(), unlisted, "jars in " + lib + " that NOTICE does not name (regenerate NOTICE as it says,"
                + " or remove a jar left over from an earlier build: ./mvnw clean)");
        assertEquals(List.of(), notShipped, "NOTICE entries with no jar in " + lib);
        assertTrue(!jars.isEmpty(), lib + " has no third-party jar");
    }
}
