// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.ShareSettings;

/**
 * What opening a share settles, on real files laid out as a killed server leaves them at each step of a
 * replacement (which a kill -9 cannot hit on purpose), and what the temporary sweep takes and leaves.
 */
class StartupRecoveryTest {

    @TempDir
    Path share;

    /** Opens the share as a starting server does, and waits for its sweep. */
    private void open() throws Exception {
        try (Share opened = Share.open(new ShareSettings("files", share, false))) {
            opened.sweep().get(60, TimeUnit.SECONDS);
        }
    }

    private Path journal() throws IOException {
        return Files.createDirectories(share.resolve(Replacement.JOURNAL));
    }

    private void intent(String content, String destination, String aside) throws IOException {
        new Replacement.Intent(Path.of(content), Path.of(destination), Path.of(aside))
                .writeTo(journal().resolve(aside + Replacement.INTENT_SUFFIX));
    }

    private Set<String> folder(String name, String... files) throws IOException {
        Path folder = Files.createDirectories(share.resolve(name));
        for (String f : files) {
            Files.writeString(folder.resolve(f), f);
        }
        return names(folder);
    }

    private static Set<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aReplacementKilledAfterSettingTheDestinationAsideIsRolledBack() throws Exception {
        Set<String> source = folder("src", "new-1", "new-2");
        Set<String> old = folder(".layerstore-replaced-ab.tmp", "old-1", "old-2", "old-3");
        intent("src", "dest", ".layerstore-replaced-ab.tmp");
        open();
        assertEquals(old, names(share.resolve("dest")), "the destination as it was");
        assertEquals(source, names(share.resolve("src")), "the source as it was");
        assertEquals(Set.of("dest", "src", Replacement.JOURNAL), names(share));
        assertEquals(Set.of(), names(journal()));
    }

    @Test
    void aReplacementKilledAfterItsRenameIsCompleted() throws Exception {
        Set<String> moved = folder("dest", "new-1", "new-2");
        folder(".layerstore-replaced-cd.tmp", "old-1", "old-2", "old-3");
        intent("src", "dest", ".layerstore-replaced-cd.tmp");
        open();
        assertEquals(moved, names(share.resolve("dest")));
        assertEquals(Set.of("dest", Replacement.JOURNAL), names(share));
        assertEquals(Set.of(), names(journal()));
    }

    @Test
    void anIntentWithNothingMovedYetOrUnreadableIsDroppedAndTouchesNothing() throws Exception {
        Set<String> source = folder("src", "new-1");
        Set<String> old = folder("dest", "old-1", "old-2");
        intent("src", "dest", ".layerstore-replaced-ef.tmp");
        Files.write(journal().resolve(".layerstore-replaced-01.tmp" + Replacement.INTENT_SUFFIX), new byte[] {1, 0});
        open();
        assertEquals(old, names(share.resolve("dest")));
        assertEquals(source, names(share.resolve("src")));
        assertEquals(Set.of(), names(journal()));
    }

    @Test
    void theSweepRemovesExactlyTheTemporariesOfAKilledServer() throws Exception {
        Path deep = Files.createDirectories(share.resolve("a/b"));
        Files.writeString(deep.resolve(".layerstore-upload-1f2e3d.tmp"), "half an upload");
        Files.writeString(share.resolve(".layerstore-upload-7fffffffffffffff.tmp"), "another");
        folder("a/.layerstore-copy-2e.tmp", "copied-1", "copied-2");
        Path outside = Files.writeString(Files.createTempFile("lsdl-outside", ".txt"), "not the share's");
        Files.createSymbolicLink(share.resolve("a/.layerstore-upload-aa.tmp"), outside);
        Set<String> users = Set.of("layerstore-upload-1.tmp", ".layerstore-upload-notes.txt", ".layerstore-upload-ABC.tmp",
                ".layerstore-upload-.tmp", ".layerstore-upload-1.tmp.bak", ".layerstore-copy-12345678901234567.tmp",
                ".layerstore-replaced-12.tmp", "upload-12.tmp",
                TemporaryNames.beside(deep.resolve("x"), TemporaryNames.UPLOAD).getFileName().toString());
        for (String name : users) {
            Files.writeString(deep.resolve(name), "a user's file, a running server's temporary, or one whose fate is not the sweep's");
        }
        folder(".layerstore-props/a", ".props");
        open();
        assertEquals(users, names(deep));
        assertEquals(Set.of("b"), names(share.resolve("a")));
        assertEquals(Set.of("a", ".layerstore-props"), names(share));
        assertTrue(Files.exists(share.resolve(".layerstore-props/a/.props")));
        assertTrue(Files.exists(outside, LinkOption.NOFOLLOW_LINKS), "a link's target outside the share stays");
        Files.delete(outside);
    }
}
