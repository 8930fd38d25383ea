// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.ShareSettings;

/**
 * The open-file cache of one share, on real files: what a hit serves, and every change made from outside
 * the appliance (rename, replacement, truncation, write, times, a folder swapped for a link out of the
 * share) seen by the very next lookup; bounded descriptors, closed once, also under a response still
 * sending. The appliance's own writes over HTTP: {@link OpenFileCacheOverHttpTest}.
 */
class OpenFileCacheTest {

    @TempDir
    Path dir;
    private Path root;
    private Path outside;
    private Share share;

    @BeforeEach
    void open() throws IOException {
        root = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f.txt"), "inside");
        Files.writeString(outside.resolve("f.txt"), "SECRET");
        share = Share.open(new ShareSettings("files", root, false).withOpenFileCache(8));
    }

    @AfterEach
    void close() {
        share.close();
    }

    @Test
    void aHitServesTheSameFileWithoutOpeningAgain() throws Exception {
        assertEquals("inside", read("d", "f.txt"));
        assertEquals(1, share.openFiles().size());
        long fds = openDescriptors();
        for (int i = 0; i < 50; i++) {
            assertEquals("inside", read("d", "f.txt"));
        }
        assertEquals(fds, openDescriptors(), "hits open nothing and leak nothing");
        assertEquals(1, share.openFiles().size());
    }

    @Test
    void changesFromOutsideAreSeenByTheNextRequest() throws Exception {
        assertEquals("inside", read("d", "f.txt"));
        Files.writeString(root.resolve("d/f.txt"), "rewritten in place");
        assertEquals("rewritten in place", read("d", "f.txt"), "write");
        try (RandomAccessFile file = new RandomAccessFile(root.resolve("d/f.txt").toFile(), "rw")) {
            file.setLength(3);
        }
        assertEquals("rew", read("d", "f.txt"), "truncation");
        Path replacement = Files.writeString(root.resolve("d/new.tmp"), "replaced");
        Files.move(replacement, root.resolve("d/f.txt"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("replaced", read("d", "f.txt"), "rename over it");
        String etag = state("d", "f.txt").etag();
        Files.setLastModifiedTime(root.resolve("d/f.txt"), FileTime.fromMillis(86_400_000L));
        assertNotEquals(etag, state("d", "f.txt").etag(), "times");
        Files.move(root.resolve("d"), root.resolve("e"));
        assertNull(open("d", "f.txt"), "a folder renamed away");
        assertEquals("replaced", read("e", "f.txt"));
        Files.delete(root.resolve("e/f.txt"));
        assertNull(open("e", "f.txt"), "removed");
    }

    @Test
    void aFolderSwappedForALinkOutOfTheShareIsNeverFollowed() throws Exception {
        assertEquals("inside", read("d", "f.txt"));
        Files.move(root.resolve("d"), dir.resolve("moved-out"));
        Files.createSymbolicLink(root.resolve("d"), outside);
        assertNull(open("d", "f.txt"), "neither the kept file, now outside, nor the link's target");
        assertEquals(0, share.openFiles().size());
    }

    @Test
    void aFolderFlippingToALinkOutOfTheShareWhileRequestsRunNeverGivesAByteFromOutside() throws Exception {
        Path inside = root.resolve("d");
        Path parked = dir.resolve("parked"); // out of the share while the link stands in
        Thread flipper = Thread.ofPlatform().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Files.move(inside, parked);
                    Files.createSymbolicLink(inside, outside);
                    Files.delete(inside);
                    Files.move(parked, inside);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        int served = 0;
        try {
            for (int i = 0; i < 20_000; i++) {
                ShareFile file = open("d", "f.txt");
                if (file != null) {
                    assertEquals("inside", contentOf(file));
                    served++;
                }
            }
        } finally {
            flipper.interrupt();
            flipper.join();
        }
        assertTrue(served > 0, "some requests fell between the flips");
    }

    @Test
    void theCacheIsBoundedAndEvictionClosesTheDescriptors() throws Exception {
        for (int i = 0; i < 40; i++) {
            Files.writeString(root.resolve("d/" + i), "file " + i);
        }
        assertEquals("inside", read("d", "f.txt")); // the cache made, with its inotify descriptor
        long before = openDescriptors();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 40; i++) {
                assertEquals("file " + i, read("d", String.valueOf(i)));
            }
        }
        assertEquals(8, share.openFiles().size());
        assertTrue(openDescriptors() <= before + 8, "at most the 8 kept: " + openDescriptors() + " against " + before);
        share.openFiles().close();
        assertTrue(openDescriptors() <= before, "all closed with the cache");
    }

    @Test
    void aDescriptorDroppedWhileAResponseSendsIsClosedWhenTheResponseEnds() throws Exception {
        ShareFile sending = open("d", "f.txt");
        long withIt = openDescriptors();
        Files.writeString(root.resolve("d/f.txt"), "changed");
        ShareFile after = open("d", "f.txt");
        assertEquals("changed", contentOf(after));
        assertEquals(withIt + 1, openDescriptors(), "the dropped one still open for its response, beside the new one kept");
        ByteBuffer buffer = ByteBuffer.allocate(16);
        sending.file().channel().read(buffer, 0);
        sending.file().close();
        assertEquals(withIt, openDescriptors(), "closed by the response, once");
        sending.file().close();
        assertEquals(withIt, openDescriptors(), "a second close changes nothing");
    }

    @Test
    void namesThroughALinkOrLeadingNowhereAreNotKept() throws Exception {
        Files.createSymbolicLink(root.resolve("link"), root.resolve("d"));
        assertNull(share.openFiles().open(share.unresolved(List.of("link", "f.txt"), "/files/link/f.txt")));
        assertNull(share.openFiles().open(share.unresolved(List.of("d", "missing"), "/files/d/missing")));
        assertNull(share.openFiles().open(share.unresolved(List.of("d"), "/files/d")));
        assertEquals(0, share.openFiles().size());
        Optional<ShareFile> throughLink = share.openKept(share.unresolved(List.of("link", "f.txt"), "/files/link/f.txt"));
        assertTrue(throughLink.isPresent(), "the share's usual way still serves it");
        assertEquals("inside", contentOf(throughLink.get()));
    }

    @Test
    void offTakesTheUsualWay() throws Exception {
        try (Share uncached = Share.open(new ShareSettings("plain", root, true).withOpenFileCache(0))) {
            assertNull(uncached.openFiles());
            Optional<ShareFile> file = uncached.openKept(uncached.unresolved(List.of("d", "f.txt"), "/plain/d/f.txt"));
            assertEquals("inside", contentOf(file.orElseThrow()));
        }
    }

    private ShareFile open(String... segments) throws Exception {
        return share.openKept(share.unresolved(List.of(segments), "/files/" + String.join("/", segments))).orElse(null);
    }

    private String read(String... segments) throws Exception {
        ShareFile file = open(segments);
        assertFalse(file == null, String.join("/", segments) + " is not served");
        return contentOf(file);
    }

    private FileState state(String... segments) throws Exception {
        ShareFile file = open(segments);
        file.file().close();
        return file.state();
    }

    /** The file's content as far as its status says (as a response sends it), and the file closed. */
    private static String contentOf(ShareFile file) throws IOException {
        try (var open = file.file()) {
            ByteBuffer bytes = ByteBuffer.allocate((int) file.state().size());
            while (bytes.hasRemaining() && open.channel().read(bytes, bytes.position()) > 0) {
                // read on
            }
            return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
        }
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
