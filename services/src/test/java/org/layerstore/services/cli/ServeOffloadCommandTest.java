// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.demo.OffloadDemoNetwork;
import org.layerstore.services.http.TestOffloadNetworks;

import picocli.CommandLine;

/**
 * {@code layerstore serve --offload-link}: a real start through the command line in a process of its
 * own (curl in the client's namespace gets the file from the offload port), and the refusals at start,
 * each one line on stderr and a non-zero exit: an interface that does not exist, one with an IPv4 address
 * of its own, and a process without CAP_NET_RAW.
 */
class ServeOffloadCommandTest {

    private static final Pattern OFFLOAD_URL = Pattern.compile("offload port: (http://192\\.0\\.2\\.2:\\d+/)");

    @TempDir
    static Path dir;

    private static OffloadDemoNetwork network;
    private static Path share;
    private static Path config;

    @BeforeAll
    static void createNetwork() throws IOException {
        network = TestOffloadNetworks.create();
        share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("hello.txt"), "served by the command line's offload port\n");
        config = dir.resolve("layerstore.yaml");
        Files.writeString(config, "mqtt:\n  enabled: false\n");
    }

    @AfterAll
    static void removeNetwork() {
        if (network != null) {
            network.close();
        }
    }

    @Test
    void serveWithAnOffloadLinkServesTheShareOnTheStacksAddress() throws Exception {
        Path log = dir.resolve("serve.log");
        Process serve = startServe(log, List.of(), "--offload-link", network.stackInterface(), "--offload-address",
                "192.0.2.2/24");
        try {
            String url = awaitOffloadUrl(serve, log);
            Process curl = new ProcessBuilder(network.inNamespace("curl", "-sS", "--max-time", "30", url + "files/hello.txt"))
                    .redirectErrorStream(true).start();
            String body = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(60, TimeUnit.SECONDS));
            assertEquals("served by the command line's offload port\n", body);
        } finally {
            serve.destroy();
            assertTrue(serve.waitFor(30, TimeUnit.SECONDS), "serve stops on SIGTERM");
        }
    }

    @Test
    void withoutCapNetRawServeRefusesToStart() throws Exception {
        Path log = dir.resolve("no-cap.log");
        Process serve = startServe(log, List.of("setpriv", "--bounding-set", "-net_raw", "--inh-caps", "-net_raw", "--"),
                "--offload-link", network.stackInterface(), "--offload-address", "192.0.2.2/24");
        assertTrue(serve.waitFor(120, TimeUnit.SECONDS), Files.readString(log));
        assertEquals(1, serve.exitValue(), Files.readString(log));
        assertTrue(Files.readString(log).contains("serve: offload.link " + network.stackInterface()
                + ": an AF_PACKET socket needs CAP_NET_RAW"), Files.readString(log));
    }

    @Test
    void aMissingInterfaceIsRefusedAtStart() {
        String err = serveInProcess(1, "--offload-link", "lsntmissing0", "--offload-address", "192.0.2.2/24");
        assertTrue(err.startsWith("serve: offload.link lsntmissing0: no such network interface"), err);
    }

    @Test
    void anInterfaceWithAnAddressOfItsOwnIsRefusedAtStart() throws Exception {
        String iface = network.stackInterface();
        run("ip", "addr", "add", "198.51.100.7/32", "dev", iface);
        try {
            String err = serveInProcess(1, "--offload-link", iface, "--offload-address", "192.0.2.2/24");
            assertTrue(err.startsWith("serve: offload.link " + iface + " has the IPv4 address 198.51.100.7 of its own"), err);
        } finally {
            run("ip", "addr", "del", "198.51.100.7/32", "dev", iface);
        }
    }

    @Test
    void anOffloadLinkWithoutAnAddressIsAConfigurationError() {
        String err = serveInProcess(2, "--offload-link", network.stackInterface());
        assertTrue(err.startsWith("serve: the offload port needs both --offload-link and --offload-address"), err);
    }

    private static String serveInProcess(int exitCode, String... offloadOptions) {
        List<String> args = new ArrayList<>(List.of("serve", "-c", config.toString(), "--root", share.toString(), "--bind",
                "127.0.0.1", "-p", "0", "--state-dir", dir.resolve("state").toString()));
        args.addAll(List.of(offloadOptions));
        StringWriter err = new StringWriter();
        CommandLine cli = LayerstoreCommand.newCommandLine();
        cli.setErr(new PrintWriter(err, true));
        assertEquals(exitCode, cli.execute(args.toArray(String[]::new)), err.toString());
        return err.toString();
    }

    private static Process startServe(Path log, List<String> prefix, String... offloadOptions) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-cp",
                System.getProperty("java.class.path"), LayerstoreCommand.class.getName(), "serve", "-c", config.toString(),
                "--root", share.toString(), "--bind", "127.0.0.1", "-p", "0", "--state-dir",
                dir.resolve("state").toString()));
        command.addAll(List.of(offloadOptions));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static String awaitOffloadUrl(Process serve, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && serve.isAlive()) {
            Matcher m = OFFLOAD_URL.matcher(Files.readString(log));
            if (m.find()) {
                return m.group(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("serve printed no offload port:\n" + Files.readString(log));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), output);
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + output);
    }
}
