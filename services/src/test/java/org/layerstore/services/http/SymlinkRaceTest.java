// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real race: a thread keeps swapping a symbolic link inside the share between a folder inside and one
 * outside (by an absolute and by a relative target) while requests go through it (one at a time, each on
 * its own connection). Whatever the timing,
 * no outside content or listing comes back, and nothing outside is written, moved or deleted.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SymlinkRaceTest {

    private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-SHARE";
    private static final String OUTSIDE_ONLY = "outside-only-name.txt";
    /** Requests per kind: enough for many swaps to fall inside each request's resolution on a busy machine. */
    private static final int ROUNDS = 150;
    private static final String SET_PROPERTY = "<?xml version=\"1.0\"?><D:propertyupdate xmlns:D=\"DAV:\" xmlns:Z=\"urn:z\">"
            + "<D:set><D:prop><Z:color>blue</Z:color></D:prop></D:set></D:propertyupdate>";
    private static final String LOCK_INFO = "<?xml version=\"1.0\"?><D:lockinfo xmlns:D=\"DAV:\"><D:lockscope><D:exclusive/>"
            + "</D:lockscope><D:locktype><D:write/></D:locktype></D:lockinfo>";

    @TempDir
    Path dir;

    private Path share;
    private Path outside;
    private HttpFileServer server;
    private Thread swapper;
    private final AtomicBoolean swapping = new AtomicBoolean(true);
    private final AtomicLong swaps = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        share = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Path safe = Files.createDirectories(share.resolve("safe"));
        for (Path folder : List.of(safe, outside)) {
            Files.writeString(folder.resolve("doc.txt"), folder == safe ? "harmless" : SECRET);
            Files.writeString(folder.resolve("victim.txt"), folder == safe ? "inside" : SECRET);
        }
        Files.writeString(outside.resolve(OUTSIDE_ONLY), SECRET);
        Files.createSymbolicLink(share.resolve("swing"), Path.of("safe"));
        server = TestServers.writable(share, TestServers.usersFile(dir), TestServers.loopback());
        List<Path> targets = List.of(Path.of("safe"), outside, Path.of("safe"), Path.of("../outside"));
        swapper = Thread.ofPlatform().daemon().start(() -> {
            Path next = share.resolve("swing.next");
            for (int i = 0; swapping.get(); i++) {
                try {
                    Files.deleteIfExists(next);
                    Files.createSymbolicLink(next, targets.get(i % targets.size()));
                    Files.move(next, share.resolve("swing"), StandardCopyOption.ATOMIC_MOVE); // rename(2): atomic
                    swaps.incrementAndGet();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @AfterEach
    void stop() throws Exception {
        swapping.set(false);
        swapper.join(5000);
        server.close();
    }

    private String send(String method, String target, String extraHeaders) throws IOException {
        return RawHttp.exchange(server.localAddress().getPort(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestServers.basic() + "\r\n" + extraHeaders + "Connection: close\r\n\r\n");
    }

    private String withBody(String method, String target, String body) throws IOException {
        return RawHttp.exchange(server.localAddress().getPort(), method + " " + target + " HTTP/1.1\r\nHost: x\r\n"
                + "Authorization: " + TestServers.basic() + "\r\nContent-Type: application/xml\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body);
    }

    private static void check(List<String> escapes, String request, String response) {
        if (response.contains(SECRET) || response.contains(OUTSIDE_ONLY)) {
            escapes.add(request + " -> " + response.lines().findFirst().orElse(""));
        }
    }

    @Test
    void readsAndListingsThroughASwappedLinkNeverShowTheOutside() throws Exception {
        List<String> escapes = new ArrayList<>();
        int served = 0;
        for (int i = 0; i < ROUNDS; i++) {
            String get = send("GET", "/files/swing/doc.txt", "");
            check(escapes, "GET doc", get);
            served += get.startsWith("HTTP/1.1 200") ? 1 : 0;
            check(escapes, "GET listing", send("GET", "/files/swing/", ""));
            check(escapes, "PROPFIND 1", send("PROPFIND", "/files/swing/", "Depth: 1\r\n"));
            check(escapes, "PROPFIND share", send("PROPFIND", "/files/", "Depth: 1\r\n"));
        }
        assertEquals(List.of(), escapes, swaps.get() + " swaps");
        assertTrue(served > 0 && served < ROUNDS, "the race was real: " + served + " of " + ROUNDS
                + " GETs found the inside file, " + swaps.get() + " swaps");
    }

    @Test
    void writesThroughASwappedLinkNeverLandOutside() throws Exception {
        List<String> escapes = new ArrayList<>();
        Path safe = share.resolve("safe");
        for (int i = 0; i < ROUNDS; i++) {
            withBody("PUT", "/files/swing/new-" + i + ".txt", "data");
            send("MKCOL", "/files/swing/folder-" + i, "");
            Files.writeString(safe.resolve("victim.txt"), "inside");
            send("DELETE", "/files/swing/victim.txt", "");
            String copied = "/files/copied-" + i + ".txt";
            send("COPY", "/files/swing/doc.txt", "Destination: " + copied + "\r\n");
            Path copy = share.resolve("copied-" + i + ".txt");
            if (Files.exists(copy) && Files.readString(copy).contains(SECRET)) {
                escapes.add("COPY out of the share: " + copy);
            }
            send("COPY", "/files/safe/doc.txt", "Destination: /files/swing/copy-" + i + ".txt\r\n");
            withBody("PROPPATCH", "/files/swing/doc.txt", SET_PROPERTY);
            withBody("LOCK", "/files/swing/locked-" + i + ".txt", LOCK_INFO);
            Files.writeString(safe.resolve("mover.txt"), "inside");
            send("MOVE", "/files/safe/mover.txt", "Destination: /files/swing/moved-" + i + ".txt\r\n");
        }
        try (Stream<Path> left = Files.list(outside)) {
            List<String> names = left.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("doc.txt", OUTSIDE_ONLY, "victim.txt"), names, "outside the share after the race");
        }
        assertEquals(SECRET, Files.readString(outside.resolve("victim.txt")));
        UserDefinedFileAttributeView attributes = Files.getFileAttributeView(outside.resolve("doc.txt"),
                UserDefinedFileAttributeView.class);
        assertEquals(List.of(), attributes.list(), "dead properties written on a file outside");
        assertEquals(SECRET, Files.readString(outside.resolve("doc.txt")));
        assertEquals(List.of(), escapes);
        try (Stream<Path> inside = Files.list(safe)) {
            assertTrue(inside.anyMatch(p -> p.getFileName().toString().startsWith("new-")), "some PUTs went through");
        }
    }
}
