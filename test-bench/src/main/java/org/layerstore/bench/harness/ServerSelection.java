// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which loads the side-by-side step puts on the servers, and whether a second build of the appliance runs
 * beside this one (the variant {@value #BEFORE}, to measure a change before and after in one run, on the
 * same machine at the same time).
 *
 * @param loads       the names of the loads to run ({@link Load#standard}); empty: all of them
 * @param beforeBuild the {@code dist/lib} folder of the other build, if any
 */
record ServerSelection(Set<String> loads, Optional<Path> beforeBuild) {

    /** The variant name of the other build. */
    static final String BEFORE = "appliance-before";

    static ServerSelection all() {
        return new ServerSelection(Set.of(), Optional.empty());
    }

    /** The loads of {@code standard} that were asked for, in their order. */
    List<Load> pick(List<Load> standard) {
        if (loads.isEmpty()) {
            return standard;
        }
        Set<String> known = standard.stream().map(Load::name).collect(Collectors.toSet());
        List<String> unknown = loads.stream().filter(l -> !known.contains(l)).sorted().toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown load(s) " + unknown + "; loads: "
                    + standard.stream().map(Load::name).toList());
        }
        return standard.stream().filter(l -> loads.contains(l.name())).toList();
    }
}
