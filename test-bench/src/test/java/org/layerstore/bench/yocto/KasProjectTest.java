// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The kas project files: one per target, each resolving (through its includes) to fully pinned layers. */
class KasProjectTest {

    private static final Path KAS = MetaLayerstoreTest.REPO.resolve("yocto/kas");
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory()).build();
    private static final Set<String> UPSTREAM = Set.of("bitbake", "openembedded-core", "meta-openembedded", "meta-aws",
            "meta-freescale", "meta-rauc");

    private static JsonNode read(Path file) throws IOException {
        return YAML.readTree(file.toFile());
    }

    /** The repos of a target after kas merges its includes (later files win, key by key). */
    private static Map<String, JsonNode> repos(Path target, Path... overlays) throws IOException {
        List<Path> files = new ArrayList<>();
        for (JsonNode include : read(target).at("/header/includes")) {
            files.add(MetaLayerstoreTest.REPO.resolve(include.asText()));
        }
        files.add(target);
        files.addAll(List.of(overlays));
        Map<String, JsonNode> merged = new TreeMap<>();
        for (Path file : files) {
            read(file).path("repos").properties().forEach(e -> {
                JsonNode base = merged.get(e.getKey());
                if (base == null || base.isNull() || e.getValue().isNull()) {
                    merged.put(e.getKey(), e.getValue().isNull() && base != null ? base : e.getValue().deepCopy());
                } else {
                    ((ObjectNode) base).setAll((ObjectNode) e.getValue());
                }
            });
        }
        return merged;
    }

    @ParameterizedTest
    @ValueSource(strings = {"qemuarm64", "ls1046ardb", "ls1043ardb", "ls1046afrwy"})
    void eachTargetNamesItsMachineAndPinsEveryLayer(String machine) throws IOException {
        Path target = KAS.resolve(machine + ".yml");
        assertEquals(machine, read(target).path("machine").asText());
        for (Path release : List.of(KAS.resolve("include/wrynose.yml"), KAS.resolve("include/scarthgap.yml"))) {
            Map<String, JsonNode> repos = repos(target, release);
            assertEquals(UPSTREAM, new TreeSet<>(repos.keySet().stream().filter(k -> !k.equals("layerstore")).toList()),
                    release.getFileName().toString());
            for (String name : UPSTREAM) {
                JsonNode repo = repos.get(name);
                assertTrue(repo.path("commit").asText().matches("[0-9a-f]{40}"), name + " is not pinned to a commit");
                assertTrue(repo.path("url").asText().startsWith("https://"), name + " has no https url");
            }
            assertTrue(repos.get("layerstore").path("layers").has("yocto/meta-layerstore"));
        }
    }

    @Test
    void theReleaseFilesPinTheReleaseBranches() throws IOException {
        JsonNode wrynose = read(KAS.resolve("include/wrynose.yml")).path("repos");
        JsonNode scarthgap = read(KAS.resolve("include/scarthgap.yml")).path("repos");
        for (String name : List.of("openembedded-core", "meta-openembedded", "meta-aws", "meta-freescale", "meta-rauc")) {
            assertEquals("wrynose", wrynose.path(name).path("branch").asText(), name);
            assertEquals("scarthgap", scarthgap.path(name).path("branch").asText(), name);
        }
        for (String name : UPSTREAM) {
            assertTrue(wrynose.path(name).path("commit").asText().matches("[0-9a-f]{40}"), "wrynose " + name);
            assertTrue(scarthgap.path(name).path("commit").asText().matches("[0-9a-f]{40}"), "scarthgap " + name);
        }
        assertEquals("2.18", wrynose.path("bitbake").path("branch").asText());
        assertEquals("2.8", scarthgap.path("bitbake").path("branch").asText());
        assertEquals("layerstore-image", read(KAS.resolve("include/wrynose.yml")).path("target").asText());
        assertTrue(Files.isRegularFile(MetaLayerstoreTest.LAYER.resolve("recipes-core/images/layerstore-image.bb")));
    }

    @Test
    void onlyTheNxpTargetsAcceptTheNxpEula() throws IOException {
        for (String machine : List.of("ls1046ardb", "ls1043ardb", "ls1046afrwy")) {
            assertTrue(read(KAS.resolve(machine + ".yml")).at("/header/includes").toString().contains("nxp.yml"), machine);
        }
        assertFalse(read(KAS.resolve("qemuarm64.yml")).at("/header/includes").toString().contains("nxp.yml"));
    }
}
