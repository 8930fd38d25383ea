// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.harness;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

import org.layerstore.datapath.RandomContent;

/**
 * The files every server serves, under {@code <www>/bench/}: one big file, many 4 KiB files, some
 * 1 MiB files and some empty ones. Contents are random so no layer can compress or deduplicate them.
 * Both nginx (root {@code <www>}) and the appliance (share {@code bench} at {@code <www>/bench}) see
 * them under the same URLs.
 */
record BenchFiles(Path www, long bigBytes, int smallCount, int mediumCount, int emptyCount) {

    static final String SHARE = "bench";
    static final long SMALL_BYTES = 4096;
    static final long MEDIUM_BYTES = 1 << 20;

    static BenchFiles create(Path www, long bigBytes, int smallCount, int mediumCount, int emptyCount) throws IOException {
        BenchFiles files = new BenchFiles(www, bigBytes, smallCount, mediumCount, emptyCount);
        SplittableRandom random = new SplittableRandom(20261123);
        write(files.shareRoot().resolve("big"), 1, bigBytes, random);
        write(files.shareRoot().resolve("small"), smallCount, SMALL_BYTES, random);
        write(files.shareRoot().resolve("medium"), mediumCount, MEDIUM_BYTES, random);
        write(files.shareRoot().resolve("empty"), emptyCount, 0, random);
        return files;
    }

    Path shareRoot() {
        return www.resolve(SHARE);
    }

    /** The big file itself (the pagemap benchmarks map it too). */
    Path bigFile() {
        return shareRoot().resolve("big").resolve(name(0));
    }

    String bigPattern() {
        return "/" + SHARE + "/big/f%05d.bin";
    }

    String smallPattern() {
        return "/" + SHARE + "/small/f%05d.bin";
    }

    String mediumPattern() {
        return "/" + SHARE + "/medium/f%05d.bin";
    }

    String emptyPattern() {
        return "/" + SHARE + "/empty/f%05d.bin";
    }

    static String sizeName(long bytes) {
        return bytes >= 1 << 20 && bytes % (1 << 20) == 0 ? (bytes >> 20) + "MiB" : (bytes >> 10) + "KiB";
    }

    private static String name(int index) {
        return String.format("f%05d.bin", index);
    }

    private static void write(Path dir, int count, long bytes, SplittableRandom random) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            try (FileChannel out = FileChannel.open(dir.resolve(name(i)), StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                RandomContent.write(out, bytes, random, null);
            }
        }
    }
}
