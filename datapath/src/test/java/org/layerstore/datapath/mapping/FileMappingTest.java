// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.testing.TestFiles;

class FileMappingTest {

    @TempDir
    Path dir;

    @Test
    void thePayloadIsExactlyTheRangeWhileTheMappingStartsAtItsPage() throws IOException {
        Path file = dir.resolve("f.bin");
        Files.write(file, "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII));
        try (FileChannel in = FileChannel.open(file); FileMapping mapping = FileMapping.map(in, new FileRange(4097, 3), 4096)) {
            assertEquals(3, mapping.payload().byteSize());
            assertEquals('7', (char) mapping.payload().get(ValueLayout.JAVA_BYTE, 0));
            assertEquals('9', (char) mapping.payload().get(ValueLayout.JAVA_BYTE, 2));
            assertEquals(4096, mapping.mappedOffset());
            assertEquals(0, mapping.pages().address() % 4096);
        }
    }

    @Test
    void aRangePastTheEndIsRefused() throws IOException {
        Path file = dir.resolve("short.bin");
        TestFiles.create(file, 100, 1);
        try (FileChannel in = FileChannel.open(file)) {
            IOException e = assertThrows(IOException.class, () -> FileMapping.map(in, new FileRange(50, 51), 4096));
            assertEquals("cannot map [50, 101): the file has only 100 bytes", e.getMessage());
        }
    }

    @Test
    void theOwnersCloseUnmapsOnlyAfterEveryRetainedReferenceIsReleased() throws IOException {
        FileMapping mapping = mapEightKiB(false);
        assertTrue(mapping.retain());
        mapping.close();
        mapping.close();
        assertFalse(mapping.isUnmapped());
        mapping.payload().get(ValueLayout.JAVA_BYTE, 8191);
        mapping.release();
        assertTrue(mapping.isUnmapped());
        assertFalse(mapping.retain(), "an unmapped mapping cannot be retained again");
        assertThrows(IllegalStateException.class, () -> mapping.payload().get(ValueLayout.JAVA_BYTE, 0));
    }

    @Test
    void aConfinedMappingIsReadByItsThreadAloneAndUnmappedAtItsClose() throws Exception {
        FileMapping mapping = mapEightKiB(true);
        List<Throwable> seen = new ArrayList<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                mapping.payload().get(ValueLayout.JAVA_BYTE, 0);
            } catch (Throwable t) {
                seen.add(t);
            }
        });
        other.join();
        assertEquals(1, seen.size(), "another thread read the confined pages");
        assertTrue(seen.getFirst() instanceof WrongThreadException, seen.toString());
        mapping.payload().get(ValueLayout.JAVA_BYTE, 8191);
        mapping.close();
        assertTrue(mapping.isUnmapped());
    }

    /** A whole 8 KiB file mapped, shared or confined to this thread; its channel is already closed. */
    private FileMapping mapEightKiB(boolean confined) throws IOException {
        Path file = dir.resolve(confined ? "c.bin" : "r.bin");
        TestFiles.create(file, 8192, 1);
        try (FileChannel in = FileChannel.open(file)) {
            return confined ? FileMapping.mapConfined(in, FileRange.whole(8192), PageSize.system())
                    : FileMapping.map(in, FileRange.whole(8192), PageSize.system());
        }
    }

    @Test
    void faultingInAFileTruncatedUnderTheMappingIsAnErrorAndTheJvmSurvivesTheSigbus() throws Exception {
        Path file = dir.resolve("victim.bin");
        TestFiles.create(file, 4L * 1024 * 1024, 3);
        Result probe = probe(List.of(), "truncate", file);
        assertEquals(0, probe.exit(), probe.output());
        assertTrue(probe.output().startsWith("contained: file shrank below the mapped range [0, 4194304)"), probe.output());
    }

    @Test
    void pinningSucceedsWithCapIpcLockAndIsRefusedWithTheMemlockLimitWithout() throws Exception {
        Path file = dir.resolve("pinned.bin");
        TestFiles.create(file, 4L * 1024 * 1024, 4);
        try (FileChannel in = FileChannel.open(file);
             FileMapping mapping = FileMapping.map(in, FileRange.whole(in.size()), PageSize.system())) {
            assumeTrue(isRoot(), "pinning 4 MiB needs CAP_IPC_LOCK or a high memlock limit; CI runs as root");
            mapping.pin();
            assertTrue(mapping.pinned());
        }
        Result refused = probe(List.of("prlimit", "--memlock=65536", "setpriv", "--inh-caps=-all", "--bounding-set=-all"),
                "pin", file);
        assertEquals(0, refused.exit(), refused.output());
        assertTrue(refused.output().startsWith("refused: mlock of 4194304 bytes of FileRange[offset=0, length=4194304]"
                + " refused (ENOMEM); RLIMIT_MEMLOCK is 65536 bytes"), refused.output());
    }

    private record Result(int exit, String output) {
    }

    private static Result probe(List<String> prefix, String mode, Path file) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                MappingProbe.class.getName(), mode, file.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "probe finished");
        return new Result(child.exitValue(), new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
    }

    private static boolean isRoot() throws IOException {
        return Files.readString(Path.of("/proc/self/status")).lines()
                .anyMatch(line -> line.startsWith("Uid:") && line.split("\\s+")[1].equals("0"));
    }
}
