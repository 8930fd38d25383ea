// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Everything one harness run measured, written as results.json. Steps that did not run (skipped) or
 * could not run say so in {@code notes} rather than leaving silent gaps.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Results(String startedAt, String mode, Map<String, Object> settings, MachineInfo machine, List<CellResult> cells,
        List<PagemapComparison.Comparison> pagemap, List<StartupProbe.StartupMode> startup, List<HeapProbe.HeapRun> heap,
        List<JfrProfile.Profile> profiles, List<Targets.Target> targets, List<String> notes) {

    static final String FILE = "results.json";

    void write(Path dir) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(FILE).toFile(), this);
    }
}
