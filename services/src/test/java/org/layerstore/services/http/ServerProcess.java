// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A file server in a JVM of its own (the test class path, the writable share of {@link TestServers}), for
 * tests that kill it with SIGKILL mid-request, as a power cut or the OOM killer would, and then restart a
 * server on the same share.
 */
final class ServerProcess implements AutoCloseable {

    private static final String READY = "listening on port ";

    private final Process process;
    private final int port;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts a server on {@code share} with the users of {@code usersFile}; returns once it listens. */
    static ServerProcess start(Path share, Path usersFile, Path log) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process process = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                ServerProcess.class.getName(), share.toString(), usersFile.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            Optional<String> ready = Files.readAllLines(log, StandardCharsets.UTF_8).stream()
                    .filter(l -> l.startsWith(READY)).findFirst();
            if (ready.isPresent()) {
                return new ServerProcess(process, Integer.parseInt(ready.get().substring(READY.length()).trim()));
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IOException("the server process did not start: " + Files.readString(log));
    }

    int port() {
        return port;
    }

    /** SIGKILL: no shutdown hook, no cleanup, no chance to finish what it was doing. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, process.exitValue(), "killed by signal 9");
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** The server process: args are the share's root and the users file; it runs until killed. */
    public static void main(String[] args) throws Exception {
        HttpFileServer server = TestServers.writable(Path.of(args[0]), Path.of(args[1]), TestServers.loopback());
        System.out.println(READY + server.localAddress().getPort());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
