// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code /proc/cpuinfo} says about the processors: how many are online, and on arm64 the "CPU part"
 * numbers that name the core type (0xd08 Cortex-A72, 0xd03 Cortex-A53); on x86 the model name instead.
 *
 * @param processors the number of "processor" entries
 * @param cpuParts   the distinct arm64 CPU part numbers, lower-case hex ("0xd08"); empty on x86
 * @param modelName  the first "model name" line (x86), empty when absent
 */
public record CpuInfo(int processors, Set<String> cpuParts, String modelName) {

    public CpuInfo {
        cpuParts = Set.copyOf(cpuParts);
    }

    /** Reads {@code proc/cpuinfo} under {@code root}; a missing file reads as no information. */
    public static CpuInfo read(Path root) {
        Path file = root.resolve("proc/cpuinfo");
        try {
            return parse(Files.readAllLines(file));
        } catch (NoSuchFileException e) {
            return new CpuInfo(0, Set.of(), "");
        } catch (IOException e) {
            throw new BoardException("cannot read " + file + ": " + e, e);
        }
    }

    static CpuInfo parse(List<String> lines) {
        int processors = 0;
        Set<String> parts = new TreeSet<>();
        String modelName = "";
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "processor" -> processors++;
                case "CPU part" -> parts.add(value.toLowerCase(Locale.ROOT));
                case "model name" -> modelName = modelName.isEmpty() ? value : modelName;
                default -> { }
            }
        }
        return new CpuInfo(processors, parts, modelName);
    }
}
