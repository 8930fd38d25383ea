// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real kill -9 of a server process in the middle of a PUT, a COPY over a file and a MOVE over a folder,
 * then a server started again on the same share: the share holds the old version or the new one in full,
 * and nothing of the server's own (temporaries, a destination set aside) is left in it.
 */
class KilledServerRecoveryTest {

    @TempDir
    Path dir;

    private Path share;
    private Path users;

    private ServerProcess startProcess(String name) throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        users = TestServers.usersFile(dir);
        return ServerProcess.start(share, users, dir.resolve(name + ".log"));
    }

    /**
     * A server started again on the share (which settles what the killed one left), answering a GET of
     * {@code path} at once; it runs until its sweep of temporaries has removed every one of them (or 60 s pass).
     */
    private Curl.Response getAfterRestart(String path) throws Exception {
        try (HttpFileServer again = TestServers.writable(share, users, TestServers.loopback())) {
            Curl.Response response = new Curl(dir, "-u", TestServers.USER + ":" + TestServers.PASSWORD)
                    .run("http://127.0.0.1:" + again.localAddress().getPort() + "/files/" + path);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reserved(share).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            return response;
        }
    }

    /** curl in the background: {@code options}, then the URL of {@code path} on the server at {@code port}. */
    private Process curl(int port, String path, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-u", TestServers.USER + ":" + TestServers.PASSWORD));
        command.addAll(List.of(options));
        command.add("http://127.0.0.1:" + port + "/files/" + path);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("curl.out").toFile()).start();
    }

    @Test
    void aPutKilledMidwayLeavesTheOldFileAndItsTemporaryIsSweptAtRestart() throws Exception {
        byte[] old = bytes(100_000, 1);
        Path big = Files.write(dir.resolve("big"), bytes(8 << 20, 2));
        Process upload;
        try (ServerProcess server = startProcess("put")) {
            Files.write(share.resolve("doc.bin"), old);
            upload = curl(server.port(), "doc.bin", "--limit-rate", "512K", "-T", big.toString());
            awaitMidway(() -> reserved(share).stream().anyMatch(n -> n.startsWith(".layerstore-upload-")), "the upload");
            server.kill();
        }
        upload.destroyForcibly();
        assertEquals(1, reserved(share).size(), "the killed server left its upload temporary");

        Curl.Response get = getAfterRestart("doc.bin");
        assertEquals(200, get.status());
        assertArrayEquals(old, get.body());
        assertEquals(Set.of(), reserved(share));
    }

    @Test
    void aCopyOverAFileKilledMidwayLeavesTheOldOrTheNewFileWhole() throws Exception {
        Path source;
        byte[] old = bytes(300_000, 3);
        try (ServerProcess server = startProcess("copy")) {
            source = bigFile(share.resolve("big.bin"), 384);
            Files.write(share.resolve("dest.bin"), old);
            Process copy = curl(server.port(), "big.bin", "-X", "COPY", "-H", "Overwrite: T", "-H",
                    "Destination: http://127.0.0.1:" + server.port() + "/files/dest.bin");
            // under way: the copy is being written (beside the destination, or, before the fix, into it)
            awaitMidway(() -> !reserved(share).isEmpty() || size(share.resolve("dest.bin")) != old.length, "the COPY");
            server.kill();
            copy.destroyForcibly();
        }

        Curl.Response get = getAfterRestart("dest.bin");
        assertEquals(200, get.status());
        Path served = Files.write(dir.resolve("served"), get.body());
        assertTrue(Arrays.equals(old, get.body()) || Files.mismatch(served, source) == -1,
                "served " + get.body().length + " bytes: neither the old file nor the whole copy");
        assertEquals(Set.of(), reserved(share));
    }

    @Test
    void aMoveOverAFolderKilledMidwayLeavesEitherFolderWhole() throws Exception {
        Set<String> oldNames;
        Set<String> newNames;
        try (ServerProcess server = startProcess("move")) {
            oldNames = folder(share.resolve("dest"), "old-", 20_000);
            newNames = folder(share.resolve("src"), "new-", 50);
            Process move = curl(server.port(), "src/", "-X", "MOVE", "-H", "Overwrite: T", "-H",
                    "Destination: http://127.0.0.1:" + server.port() + "/files/dest/");
            awaitMidway(() -> !reserved(share).isEmpty() || names(share.resolve("dest")).size() != oldNames.size(),
                    "the MOVE");
            server.kill();
            move.destroyForcibly();
        }

        assertEquals(200, getAfterRestart("dest/").status());
        Set<String> dest = names(share.resolve("dest"));
        if (dest.equals(newNames)) {
            assertTrue(Files.notExists(share.resolve("src")), "moved: the source is gone");
        } else {
            assertEquals(oldNames, dest, "not moved: the destination as it was");
            assertEquals(newNames, names(share.resolve("src")), "not moved: the source as it was");
        }
        assertEquals(Set.of(), reserved(share));
    }

    /** Waits until {@code underWay} holds (polled often: the window can be short), failing after 60 s. */
    private static void awaitMidway(BooleanSupplier underWay, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!underWay.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, what + " never started");
            Thread.sleep(2);
        }
    }

    private static byte[] bytes(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A file of {@code mib} MiB, each MiB different, written quickly. */
    private static Path bigFile(Path path, int mib) throws IOException {
        byte[] block = bytes(1 << 20, 4);
        try (OutputStream out = Files.newOutputStream(path)) {
            for (int i = 0; i < mib; i++) {
                block[0] = (byte) i;
                block[1] = (byte) (i >> 8);
                out.write(block);
            }
        }
        return path;
    }

    private static Set<String> folder(Path folder, String prefix, int files) throws IOException {
        Files.createDirectories(folder);
        for (int i = 0; i < files; i++) {
            Files.writeString(folder.resolve(prefix + i), prefix + i);
        }
        return names(folder);
    }

    private static Set<String> names(Path folder) {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** The server's own names at the share's root, its journal excepted when empty. */
    private static Set<String> reserved(Path share) {
        Set<String> found = new TreeSet<>();
        for (String name : names(share)) {
            Path p = share.resolve(name);
            if (name.startsWith(Share.RESERVED_PREFIX) && !(name.equals(Replacement.JOURNAL)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && names(p).isEmpty())) {
                found.add(name);
            }
        }
        return found;
    }
}
