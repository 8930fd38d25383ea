// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.layerstore.services.http.auth.UserDirectory;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Adds or replaces a user in the users file, with a bcrypt hash of a password read from standard input. */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Set USER's password in the users FILE (bcrypt, as htpasswd -B); the password is read from stdin.")
final class PasswdCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The users file (created if missing).")
    Path file;

    @Parameters(index = "1", paramLabel = "USER", description = "The user name (no ':').")
    String user;

    @Option(names = "--cost", defaultValue = "" + UserDirectory.DEFAULT_COST,
            description = "bcrypt cost, 4-31 (default: ${DEFAULT-VALUE}).")
    int cost;

    @Override
    public Integer call() throws Exception {
        if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isWhitespace)) {
            spec.commandLine().getErr().println("passwd: user name must be non-empty, without ':' or spaces");
            return 2;
        }
        String password = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (password == null || password.isEmpty()) {
            spec.commandLine().getErr().println("passwd: no password on standard input");
            return 2;
        }
        List<String> lines = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.startsWith(user + ":")) {
                    lines.add(line);
                }
            }
        }
        lines.add(user + ":" + UserDirectory.hash(password, cost));
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".users", ".tmp");
        Files.write(tmp, lines, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        spec.commandLine().getOut().println("set the password of " + user + " in " + file);
        return 0;
    }
}
