// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reads {@code layerstore.yaml}. Unknown keys are errors, so a misspelt setting is never silently ignored. */
public final class ConfigLoader {

    private final ObjectMapper yaml = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    /** Parses a configuration file; an empty file gives the defaults. */
    public ApplianceConfig load(Path file) {
        try {
            if (Files.size(file) == 0) {
                return ApplianceConfig.defaults();
            }
            ApplianceConfig config = yaml.readValue(file.toFile(), ApplianceConfig.class);
            return config == null ? ApplianceConfig.defaults() : config;
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist", e);
        } catch (JsonMappingException e) {
            throw new ConfigException(file + ": " + describe(e), e);
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String describe(JsonMappingException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof ConfigException config) {
            return config.getMessage();
        }
        String where = e.getPathReference() == null ? "" : " at " + e.getPathReference();
        return e.getOriginalMessage() + where;
    }
}
