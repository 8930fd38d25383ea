// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.yocto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variable assignments of a bitbake file (.bb, .bbappend, .conf), read well enough for static checks:
 * continuation lines joined, comments dropped, every assignment to a name (with any operator, flags and overrides
 * kept in the name) recorded in order. Not an evaluator: ${...} stays unexpanded.
 */
final class BitbakeFile {

    private static final Pattern ASSIGNMENT = Pattern.compile(
            "^(?:export\\s+)?([A-Za-z0-9_${}:\\-\\[\\].+/%]+?)\\s*(\\?\\?=|\\?=|:=|\\+=|=\\+|\\.=|=\\.|=)\\s*\"(.*)\"\\s*$");

    record Assignment(String name, String operator, String value) {
    }

    private final List<Assignment> assignments;
    private final List<String> logicalLines;

    private BitbakeFile(List<String> logicalLines, List<Assignment> assignments) {
        this.logicalLines = logicalLines;
        this.assignments = assignments;
    }

    static BitbakeFile read(Path file) throws IOException {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(file)) {
            String line = raw.stripTrailing();
            if (current.isEmpty() && line.stripLeading().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            logical.add(current.toString());
            current.setLength(0);
        }
        List<Assignment> assignments = new ArrayList<>();
        for (String line : logical) {
            Matcher m = ASSIGNMENT.matcher(line.strip());
            if (m.matches()) {
                assignments.add(new Assignment(m.group(1), m.group(2), m.group(3).strip().replaceAll("\\s+", " ")));
            }
        }
        return new BitbakeFile(logical, assignments);
    }

    List<String> lines() {
        return logicalLines;
    }

    /** Every value assigned to exactly {@code name}, in order. */
    List<String> values(String name) {
        return assignments.stream().filter(a -> a.name().equals(name)).map(Assignment::value).toList();
    }

    boolean defines(String name) {
        return !values(name).isEmpty();
    }

    /** The words of every value assigned to {@code name}, joined. */
    List<String> words(String name) {
        List<String> words = new ArrayList<>();
        for (String value : values(name)) {
            for (String word : value.split(" ")) {
                if (!word.isEmpty()) {
                    words.add(word);
                }
            }
        }
        return words;
    }

    /** The words of every value assigned to {@code name} under an override ({@code name:OVERRIDE}: SRC_URI:append:MACHINE). */
    List<String> wordsOfOverrides(String name) {
        List<String> words = new ArrayList<>();
        assignments.stream().map(Assignment::name).distinct().filter(n -> n.startsWith(name + ":"))
                .forEach(n -> words.addAll(words(n)));
        return words;
    }

    /** Whether the file inherits {@code bbclass} (inherit lines may name several classes). */
    boolean inherits(String bbclass) {
        return logicalLines.stream().map(String::strip).filter(l -> l.startsWith("inherit "))
                .anyMatch(l -> List.of(l.substring("inherit ".length()).trim().split("\\s+")).contains(bbclass));
    }
}
