// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A share's way to an opened object: the descriptor passes to one owner, or the errno says why there is none. */
class OpenOutcomeTest {

    @TempDir
    Path dir;

    @Test
    void aMissAnswersItsErrnoAndHasNoDescriptorToUse() throws IOException {
        Files.createDirectories(dir.resolve("share"));
        try (PathDescriptor root = PathDescriptor.open(dir.resolve("share").toString());
             OpenOutcome missing = root.openBeneath("missing.txt", OpenFlags.READ_ONLY);
             OpenOutcome outside = root.openBeneath("../share", OpenFlags.PATH_ONLY)) {
            assertFalse(missing.isOpen());
            assertEquals(Errno.ENOENT, missing.errno());
            assertEquals(Errno.EXDEV, outside.errno());
            assertThrows(IllegalStateException.class, missing::status);
            assertThrows(IllegalStateException.class, missing::take);
        }
    }

    @Test
    void theDescriptorIsTakenOnceAndCloseAfterTheTakeLeavesItToItsNewOwner() throws IOException {
        Files.writeString(dir.resolve("file.txt"), "seven b");
        PathDescriptor taken;
        try (OpenOutcome opened = OpenOutcome.open(dir.resolve("file.txt").toString(), OpenFlags.PATH_ONLY)) {
            assertTrue(opened.isOpen());
            assertEquals(0, opened.errno());
            assertEquals(7, opened.status().size());
            taken = opened.asPath();
            assertThrows(IllegalStateException.class, opened::take);
        }
        try (taken) {
            assertEquals(7, taken.status().size(), "the outcome's close did not close what it handed over");
            assertEquals(dir.resolve("file.txt"), Files.readSymbolicLink(taken.procPath()));
        }
    }

    @Test
    void reopeningReachesTheSameFileEvenAfterItsNameWasReplaced() throws IOException {
        Path file = dir.resolve("file.txt");
        Files.writeString(file, "first");
        try (OpenOutcome located = OpenOutcome.open(file.toString(), OpenFlags.PATH_ONLY)) {
            Files.delete(file);
            Files.writeString(file, "second, longer");
            try (OpenOutcome reopened = located.reopen(OpenFlags.READ_ONLY)) {
                assertTrue(reopened.isOpen(), reopened.toString());
                assertEquals(5, reopened.status().size());
            }
        }
    }
}
