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
record Results(String startedAt, String mode, Map<String, Object> settings, MachineInfo machine,
        List<LoadCommand> loads, List<CellResult> cells,
        List<PagemapComparison.Comparison> pagemap, List<StartupProbe.StartupMode> startup, List<HeapProbe.HeapRun> heap,
        List<JfrProfile.Profile> profiles, List<Targets.Target> targets, List<String> notes) {

    static final String FILE = "results.json";

    /** What made a load's figures: the client and its exact command line ({@value #SERVER} stands for the server's URL). */
    record LoadCommand(String load, String client, int threads, int connections, int files, String command) {
        static final String SERVER = "http://127.0.0.1:PORT";

        static List<LoadCommand> of(List<Load> loads, Wrk wrk, java.time.Duration cell) {
            return loads.stream().map(l -> new LoadCommand(l.name(), l.client().name().toLowerCase(java.util.Locale.ROOT),
                    l.threads(), l.connections(), l.fileCount(), String.join(" ", wrk.command(SERVER, l, cell)))).toList();
        }
    }

    void write(Path dir) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(FILE).toFile(), this);
    }
}
