package org.layerstore.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoardSettingsTest {

    @Test
    void leftOutSettingsDetectWithTheOperatorsProfileDirectory() {
        BoardSettings defaults = new BoardSettings(null, null);
        assertEquals(BoardDetector.AUTO, defaults.profile());
        assertEquals(Path.of("/etc/layerstore/boards"), defaults.profilesDir());
        assertEquals("ls1043ardb", defaults.detect(Fixtures.root("ls1043ardb")).profile().id());
    }

    @Test
    void aConfiguredProfileIsTakenAsIs() {
        assertEquals("qemu-arm64", new BoardSettings("qemu-arm64", null).detect(Fixtures.root("ls1043ardb")).profile().id());
    }

    @Test
    void aProfileFromTheOperatorsDirectoryCanBeChosen(@TempDir Path dir) throws IOException {
        String yaml = new String(BoardSettingsTest.class.getResourceAsStream("/org/layerstore/board/profiles/generic-linux.yaml")
                .readAllBytes()).replace("id: generic-linux", "id: bench-pc").replace("model: Generic Linux host", "model: Bench PC");
        Files.writeString(dir.resolve("bench-pc.yaml"), yaml);
        BoardDetection detection = new BoardSettings("bench-pc", dir).detect(Fixtures.root("generic-linux-x86"));
        assertEquals("Bench PC", detection.profile().model());
    }

    @Test
    void anUnknownConfiguredProfileFailsDetection() {
        assertThrows(BoardException.class, () -> new BoardSettings("nope", null).detect(Fixtures.root("ls1043ardb")));
    }
}
