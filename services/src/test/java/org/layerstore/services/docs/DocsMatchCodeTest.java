// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.layerstore.services.cli.LayerstoreCommand;
import org.layerstore.services.config.ApplianceConfig;

import picocli.CommandLine;

/**
 * What the user documentation (README.md, docs/*.md) says about the command line and the configuration is
 * what the code has: every {@code layerstore SUBCOMMAND --option} it shows names a subcommand and options
 * of picocli's model of the real CLI (or of the launcher, for {@code demo}, {@code build}, {@code train},
 * {@code test}), and every configuration key it names in backticks ({@code http.limits.maxUploadBytes})
 * is a property of {@link ApplianceConfig}'s records, which the loader refuses to go beyond.
 */
class DocsMatchCodeTest {

    /** The launcher's own subcommands; {@code demo} is {@code serve --demo}, so it takes serve's options. */
    private static final Map<String, String> LAUNCHER = Map.of("demo", "serve", "build", "", "train", "", "test", "");

    /**
     * {@code layerstore} or {@code ./layerstore} where a command starts (a line, after a shell prompt, a
     * backtick or {@code sudo}), a subcommand, then what follows on that line: not the unit in
     * {@code systemctl status layerstore}, nor the word in prose.
     */
    private static final Pattern INVOCATION = Pattern.compile(
            "(?m)(?:^[ \\t]*(?:[$#] )?|`|\\bsudo )(?:\\./|/usr/bin/)?layerstore ([a-z][a-z-]*)([^\\n`]*)");
    private static final Pattern OPTION = Pattern.compile("(?<=^|\\s)(--?[a-zA-Z][\\w-]*)");
    /** A backticked dotted name whose first part is a top-level configuration key. */
    private static final Pattern KEY = Pattern.compile("`([a-z][A-Za-z]*(?:\\.[a-z][A-Za-z0-9]*)+)`");

    private final Path repo = repository();
    private final CommandLine cli = LayerstoreCommand.newCommandLine();

    @Test
    void everyLayerstoreInvocationInTheDocsNamesARealSubcommandAndRealOptions() throws IOException {
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path doc : docs()) {
            Matcher m = INVOCATION.matcher(Files.readString(doc));
            while (m.find()) {
                seen++;
                check(m.group(1), m.group(2)).ifPresent(problem -> wrong.add(repo.relativize(doc) + ": `layerstore "
                        + m.group(1) + m.group(2).stripTrailing() + "`: " + problem));
            }
        }
        assertTrue(seen >= 10, "the docs show the command line: found only " + seen + " invocations");
        assertEquals(List.of(), wrong);
    }

    @Test
    void everyConfigurationKeyInTheDocsIsOneTheLoaderAccepts() throws IOException {
        Set<String> topLevel = Arrays.stream(ApplianceConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toSet());
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path doc : docs()) {
            Matcher m = KEY.matcher(Files.readString(doc));
            while (m.find()) {
                String key = m.group(1);
                if (!topLevel.contains(key.substring(0, key.indexOf('.')))) {
                    continue; // a Java name, a file name, a topic: not a configuration key
                }
                seen++;
                if (!resolves(ApplianceConfig.class, key.split("\\."), 0)) {
                    wrong.add(repo.relativize(doc) + ": `" + key + "`");
                }
            }
        }
        assertTrue(seen >= 10, "the docs name the configuration: found only " + seen + " keys");
        assertEquals(List.of(), wrong, "configuration keys the docs name that ApplianceConfig does not have");
    }

    @Test
    void aWrongSubcommandOptionOrKeyIsFound() {
        assertTrue(check("serve", " --config /etc/layerstore.yaml").isEmpty());
        assertTrue(check("serve", " --no-such-option").isPresent());
        assertTrue(check("fly", "").isPresent());
        assertTrue(resolves(ApplianceConfig.class, "http.limits.maxUploadBytes".split("\\."), 0));
        assertFalse(resolves(ApplianceConfig.class, "http.limits.maxUploadMegabytes".split("\\."), 0));
    }

    /** Empty when {@code subcommand} and every option in {@code rest} exist; else what is wrong. */
    private Optional<String> check(String subcommand, String rest) {
        String real = LAUNCHER.getOrDefault(subcommand, subcommand);
        if (real.isEmpty()) {
            return Optional.empty(); // build, train, test: the launcher's, passed on as they are
        }
        CommandLine command = cli.getSubcommands().get(real);
        if (command == null) {
            return Optional.of("no subcommand '" + subcommand + "' (there are " + cli.getSubcommands().keySet()
                    + " and the launcher's " + LAUNCHER.keySet() + ")");
        }
        // Up to the end of the command: a shell operator, a comment, or prose after the code.
        String args = rest.split("\\s(?:\\||&&|;|#|>)|[,.)](?:\\s|$)", 2)[0];
        Matcher m = OPTION.matcher(args);
        while (m.find()) {
            String option = m.group(1).split("=", 2)[0];
            if (command.getCommandSpec().findOption(option) == null) {
                return Optional.of("'" + real + "' has no option " + option);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code parts[at..]} names a property below {@code type} (a record; lists by their element). */
    private static boolean resolves(Class<?> type, String[] parts, int at) {
        if (at == parts.length) {
            return true;
        }
        if (!type.isRecord()) {
            return false;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            if (component.getName().equals(parts[at])) {
                return resolves(valueType(component.getGenericType()), parts, at + 1);
            }
        }
        return false;
    }

    private static Class<?> valueType(Type type) {
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw
                && (List.class.isAssignableFrom(raw) || Optional.class.equals(raw))) {
            return valueType(p.getActualTypeArguments()[0]);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw && Map.class.isAssignableFrom(raw)) {
            return valueType(p.getActualTypeArguments()[1]);
        }
        return type instanceof Class<?> c ? c : Object.class;
    }

    private List<Path> docs() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(repo.resolve("README.md")));
        try (Stream<Path> pages = Files.list(repo.resolve("docs"))) {
            pages.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        return docs;
    }

    /** Surefire runs in services/; the repository is its parent. */
    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository (README.md and docs/) above " + here);
    }
}
