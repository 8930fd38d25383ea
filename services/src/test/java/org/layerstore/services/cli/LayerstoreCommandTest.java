// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.layerstore.services.config.ApplianceConfig;

import picocli.CommandLine;

class LayerstoreCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"serve", "passwd", "inspect", "bench", "board"})
    void everySubcommandHasHelp(String subcommand) {
        StringWriter out = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute(subcommand, "--help"));
        assertTrue(out.toString().startsWith("Usage: layerstore " + subcommand), out.toString());
    }

    @Test
    void commandLineOverridesTheConfigurationFile() throws Exception {
        Path config = dir.resolve("c.yaml");
        Files.writeString(config, "http:\n  port: 9000\n  bind: 10.0.0.1\n");
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.parseArgs("serve", "--config", config.toString(), "--port", "0", "--root", dir.toString());
        ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
        ApplianceConfig effective = serve.effectiveConfig();
        assertEquals(0, effective.http().port());
        assertEquals("10.0.0.1", effective.http().bind());
        assertEquals(dir, effective.shares().getFirst().root());
        assertEquals("files", effective.shares().getFirst().name());
    }

    @Test
    void theStateDirComesFromTheOptionElseTheFileElseTheStateHome() throws Exception {
        Path config = Files.writeString(dir.resolve("state.yaml"), "stateDir: " + dir.resolve("configured") + "\n");
        ServeCommand fromFile = serve("serve", "--config", config.toString(), "--root", dir.toString());
        assertEquals(dir.resolve("configured"), fromFile.effectiveConfig().stateDir());
        ServeCommand fromOption = serve("serve", "--config", config.toString(), "--root", dir.toString(),
                "--state-dir", dir.resolve("given").toString());
        assertEquals(dir.resolve("given"), fromOption.effectiveConfig().stateDir());
        ServeCommand byDefault = serve("serve", "--root", dir.toString());
        assertEquals(ServeCommand.defaultStateDir(), byDefault.effectiveConfig().stateDir());
        assertTrue(ServeCommand.defaultStateDir().endsWith("layerstore"), ServeCommand.defaultStateDir().toString());
    }

    private static ServeCommand serve(String... args) {
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.parseArgs(args);
        return cli.getSubcommands().get("serve").getCommand();
    }

    @Test
    void aBadConfigurationExitsWith2AndOneClearLine() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "htp: {}\n");
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("serve", "--config", config.toString()));
        assertTrue(err.toString().startsWith("serve: " + config + ": Unrecognized field \"htp\""), err.toString());
    }

    @Test
    void passwdWritesABcryptLineTheServerAccepts() throws Exception {
        Path users = dir.resolve("users");
        Files.writeString(users, "bob:" + org.layerstore.services.http.auth.UserDirectory.hash("x", 4) + "\n");
        var stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream("s3cret pass\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            assertEquals(0, LayerstoreCommand.newCommandLine().execute("passwd", "--cost", "4", users.toString(), "alice"));
        } finally {
            System.setIn(stdin);
        }
        var lines = Files.readAllLines(users);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).startsWith("alice:$2y$04$"), lines.toString());
        var directory = org.layerstore.services.http.auth.UserDirectory.load(users);
        assertTrue(directory.verify("alice", "s3cret pass"));
        assertTrue(!directory.verify("alice", "s3cret"));
    }

    @Test
    void demoWithTlsMakesACertificateOnceAndServesHttps() throws Exception {
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.parseArgs("serve", "--demo", "--tls", "--data-dir", dir.toString());
        ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
        ApplianceConfig first = serve.effectiveConfig();
        Path cert = first.http().tls().certificate();
        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----"));
        assertTrue(Files.readString(first.http().tls().privateKey()).startsWith("-----BEGIN PRIVATE KEY-----"));
        String pem = Files.readString(cert);
        assertEquals(pem, Files.readString(serve.effectiveConfig().http().tls().certificate()));
        assertTrue(first.shares().getFirst().anonymousRead());
    }

    @Test
    void theBoardOptionOverridesTheConfiguredProfileAndAnUnusableBackendExitsWith2() throws Exception {
        Path config = dir.resolve("board.yaml");
        Files.writeString(config, "board:\n  profile: ls1046ardb\nframeManager:\n  backend: emulated\n");
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.parseArgs("serve", "--config", config.toString(), "--board", "ls1043ardb", "--root", dir.toString());
        ServeCommand serve = cli.getSubcommands().get("serve").getCommand();
        ApplianceConfig effective = serve.effectiveConfig();
        assertEquals("ls1043ardb", effective.board().profile());
        assertEquals("emulated", effective.frameManager().backend());

        Files.writeString(config, "frameManager:\n  backend: usdpaa\n");
        StringWriter err = new StringWriter();
        CommandLine failing = LayerstoreCommand.newCommandLine();
        failing.setErr(new PrintWriter(err));
        assertEquals(2, failing.execute("serve", "--config", config.toString(), "--root", dir.toString()));
        assertTrue(err.toString().startsWith("serve: frameManager.backend usdpaa is not usable here"), err.toString());
    }
}
