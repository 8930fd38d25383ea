// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which board profile applies: an explicit override (configuration or command line) wins; otherwise the
 * first device-tree compatible string (most specific first) that a profile claims; otherwise generic-linux, with a
 * warning. /proc/cpuinfo is compared with the chosen profile's SoC so a wrong override or a wrong device tree shows.
 * Every file is read below a root directory, "/" on a running system, a fixture tree in tests.
 */
public final class BoardDetector {

    /** The override value that means "detect". */
    public static final String AUTO = "auto";

    private static final Logger LOG = LoggerFactory.getLogger(BoardDetector.class);

    private final Path root;
    private final ProfileCatalog catalog;

    public BoardDetector(Path root, ProfileCatalog catalog) {
        this.root = root;
        this.catalog = catalog;
    }

    /** Detects the board of the running system with the built-in profiles. */
    public static BoardDetection detectRunningSystem(String override) {
        return new BoardDetector(Path.of("/"), ProfileCatalog.builtIn()).detect(override);
    }

    /**
     * @param override a profile id, or {@value #AUTO} (or null) to detect; an unknown id is an error that lists the
     *                 known ones, never a silent fallback
     */
    public BoardDetection detect(String override) {
        Optional<DeviceTree> tree = DeviceTree.read(root);
        List<String> compatible = tree.map(DeviceTree::compatible).orElse(List.of());
        String model = tree.map(DeviceTree::model).orElse("");
        CpuInfo cpu = CpuInfo.read(root);
        List<String> warnings = new ArrayList<>();

        BoardProfile profile;
        String reason;
        if (override != null && !override.isBlank() && !override.equals(AUTO)) {
            profile = catalog.require(override);
            reason = "profile '" + override + "' set by configuration override";
        } else {
            Optional<BoardProfile> matched = Optional.empty();
            String matchedString = null;
            for (String candidate : compatible) {
                matched = catalog.claiming(candidate);
                if (matched.isPresent()) {
                    matchedString = candidate;
                    break;
                }
            }
            if (matched.isPresent()) {
                profile = matched.get();
                reason = "device-tree compatible \"" + matchedString + "\" (" + tree.get().directory() + "/compatible)";
            } else {
                profile = catalog.fallback();
                reason = tree.isEmpty()
                        ? "no device tree under " + root + " (" + String.join(", ", DeviceTree.LOCATIONS) + "): fallback"
                        : "no profile claims compatible " + compatible + ": fallback";
                warnings.add("unknown board, running as " + profile.id() + " with the emulated HAL; "
                        + (tree.isEmpty() ? "no device tree found" : "device tree says " + compatible));
            }
        }
        warnings.addAll(cpuMismatches(profile, cpu));
        warnings.forEach(w -> LOG.warn("board detection: {}", w));
        return new BoardDetection(profile, reason, compatible, model, cpu, warnings);
    }

    private static List<String> cpuMismatches(BoardProfile profile, CpuInfo cpu) {
        List<String> mismatches = new ArrayList<>();
        SocDescription soc = profile.soc();
        if (soc.cores() > 0 && cpu.processors() > 0 && cpu.processors() != soc.cores()) {
            mismatches.add("profile " + profile.id() + " expects " + soc.cores() + " cores, /proc/cpuinfo lists "
                    + cpu.processors() + " (maxcpus= or offline cores?)");
        }
        if (!soc.cpuPart().isEmpty() && !cpu.cpuParts().isEmpty() && !cpu.cpuParts().equals(Set.of(soc.cpuPart()))) {
            mismatches.add("profile " + profile.id() + " expects CPU part " + soc.cpuPart() + " (" + soc.core()
                    + "), /proc/cpuinfo says " + cpu.cpuParts());
        }
        return mismatches;
    }
}
