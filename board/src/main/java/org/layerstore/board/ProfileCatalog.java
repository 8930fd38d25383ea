// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The board profiles the appliance knows: the built-in ones (listed in {@code profiles/profiles.list} beside
 * the YAML files) and, optionally, those in an operator's directory, which add boards or replace built-ins
 * of the same id. Unknown keys in a profile are errors, so a misspelt fact is never silently dropped.
 */
public final class ProfileCatalog {

    /** The profile a board without a matching profile runs as. */
    public static final String FALLBACK_ID = "generic-linux";

    private static final String RESOURCE_DIR = "profiles/";
    private static final String INDEX = RESOURCE_DIR + "profiles.list";

    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private final Map<String, BoardProfile> profiles;

    private ProfileCatalog(Map<String, BoardProfile> profiles) {
        this.profiles = profiles;
        if (!profiles.containsKey(FALLBACK_ID)) {
            throw new BoardException("the board profiles lack the fallback profile '" + FALLBACK_ID + "'");
        }
        Map<String, String> owners = new HashMap<>();
        for (BoardProfile profile : profiles.values()) {
            for (String compatible : profile.compatible()) {
                String other = owners.putIfAbsent(compatible, profile.id());
                if (other != null) {
                    throw new BoardException("compatible string '" + compatible + "' is claimed by both profile "
                            + other + " and profile " + profile.id());
                }
            }
        }
    }

    /** The profiles shipped in this jar. */
    public static ProfileCatalog builtIn() {
        return new ProfileCatalog(loadBuiltIn());
    }

    /**
     * The built-in profiles plus every {@code *.yaml} in {@code directory}; a file whose id equals a built-in
     * one replaces it. A missing directory adds nothing.
     */
    public static ProfileCatalog builtInPlus(Path directory) {
        Map<String, BoardProfile> profiles = loadBuiltIn();
        if (Files.isDirectory(directory)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.yaml")) {
                for (Path file : files) {
                    BoardProfile profile = parse(file.toString(), fileId(file.getFileName().toString()),
                            Files.readAllBytes(file));
                    profiles.put(profile.id(), profile);
                }
            } catch (IOException e) {
                throw new BoardException("cannot read board profiles in " + directory + ": " + e.getMessage(), e);
            }
        }
        return new ProfileCatalog(profiles);
    }

    public Optional<BoardProfile> find(String id) {
        return Optional.ofNullable(profiles.get(id));
    }

    /** The profile named {@code id}; the error lists the known ids. */
    public BoardProfile require(String id) {
        return find(id).orElseThrow(() -> new BoardException("unknown board profile '" + id + "'; known: "
                + profiles.keySet()));
    }

    public BoardProfile fallback() {
        return profiles.get(FALLBACK_ID);
    }

    /** The profile claiming a device-tree compatible string, if any. */
    public Optional<BoardProfile> claiming(String compatible) {
        return profiles.values().stream().filter(p -> p.compatible().contains(compatible)).findFirst();
    }

    public Collection<BoardProfile> all() {
        return profiles.values();
    }

    private static Map<String, BoardProfile> loadBuiltIn() {
        Map<String, BoardProfile> profiles = new LinkedHashMap<>();
        for (String file : builtInFiles()) {
            BoardProfile profile = parse(file, fileId(file), readResource(RESOURCE_DIR + file));
            profiles.put(profile.id(), profile);
        }
        return profiles;
    }

    private static List<String> builtInFiles() {
        String index = new String(readResource(INDEX), StandardCharsets.UTF_8);
        List<String> files = new ArrayList<>();
        for (String line : index.split("\n")) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                files.add(name);
            }
        }
        return files;
    }

    private static byte[] readResource(String name) {
        try (InputStream in = ProfileCatalog.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new BoardException("board profile resource org/layerstore/board/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new BoardException("cannot read board profile resource " + name + ": " + e.getMessage(), e);
        }
    }

    private static String fileId(String fileName) {
        return fileName.endsWith(".yaml") ? fileName.substring(0, fileName.length() - ".yaml".length()) : fileName;
    }

    /** Parses one profile; {@code expectedId} is its file name, which must match the id inside. */
    static BoardProfile parse(String source, String expectedId, byte[] yaml) {
        BoardProfile profile;
        try {
            profile = YAML.readValue(yaml, BoardProfile.class);
        } catch (JsonMappingException e) {
            throw new BoardException("board profile " + source + ": " + describe(e), e);
        } catch (IOException e) {
            throw new BoardException("board profile " + source + " is not valid YAML: " + e.getMessage(), e);
        }
        if (profile == null) {
            throw new BoardException("board profile " + source + " is empty");
        }
        if (!profile.id().equals(expectedId)) {
            throw new BoardException("board profile " + source + " says id '" + profile.id()
                    + "' but its file is named for '" + expectedId + "'");
        }
        return profile;
    }

    private static String describe(JsonMappingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String where = e.getPathReference() == null ? "" : " at " + e.getPathReference();
        return (root instanceof BoardException board ? board.getMessage() : e.getOriginalMessage()) + where;
    }
}
