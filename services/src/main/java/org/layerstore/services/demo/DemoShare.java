// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.demo;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import org.layerstore.datapath.RandomContent;

/**
 * The demo share that {@code serve --demo} creates on a fresh machine: a few small files and one of
 * 64 MiB, enough to see the datapath at work. Contents are deterministic (a fixed seed), so a
 * download can be checked against a known sha256; files already present with the right size are kept.
 */
public final class DemoShare {

    public static final String NAME = "demo";
    public static final String BIG_FILE = "big-64MiB.bin";
    public static final long BIG_FILE_SIZE = 64L << 20;
    static final long SEED = 0x4c53_3130_3436_4155L;

    private DemoShare() {
    }

    /** Creates (or completes) the demo share in {@code dir} and returns it. */
    public static Path create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("media"));
        writeIfMissing(dir.resolve("README.txt"), """
                This is the Layerstore demo share.

                Download any file with a browser or curl; big-64MiB.bin goes through the zero-copy datapath.
                The files are regenerated with the same contents if you delete them.
                """);
        writeIfMissing(dir.resolve("hello.txt"), "Hello from a Layerscape storage appliance.\n");
        writeRandomIfMissing(dir.resolve(BIG_FILE), BIG_FILE_SIZE, SEED);
        writeRandomIfMissing(dir.resolve("media").resolve("sample-1MiB.bin"), 1L << 20, SEED + 1);
        return dir;
    }

    private static void writeIfMissing(Path file, String text) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code size} pseudo-random bytes through a temporary file, so no half-written file remains. */
    static void writeRandomIfMissing(Path file, long size, long seed) throws IOException {
        if (Files.isRegularFile(file) && Files.size(file) == size) {
            return;
        }
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                RandomContent.write(out, size, new SplittableRandom(seed), null);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
