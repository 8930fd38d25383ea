// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

import org.layerstore.datapath.RandomContent;

/** Real files with pseudo-random content for datapath tests, and SHA-256 of their ranges. */
public final class TestFiles {

    private TestFiles() {
    }

    /** Writes {@code size} pseudo-random bytes (seeded) to {@code file} and returns their SHA-256. */
    public static String create(Path file, long size, long seed) throws IOException {
        MessageDigest digest = RandomContent.sha256();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            RandomContent.write(out, size, new SplittableRandom(seed), digest);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The SHA-256 of {@code length} bytes of {@code file} from {@code offset}, read with plain reads. */
    public static String sha256(Path file, long offset, long length) throws IOException {
        MessageDigest digest = RandomContent.sha256();
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long done = 0;
            while (done < length) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), length - done));
                int n = in.read(buffer, offset + done);
                if (n < 0) {
                    throw new IOException(file + " ended at " + (offset + done));
                }
                done += n;
                digest.update(buffer.flip());
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
