// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Pseudo-random file content, the one writer of it: the demo share's sample files, the temporary file of
 * {@code layerstore bench}, and the tests' and benchmarks' files. Incompressible, so no layer can compress
 * or deduplicate it; seeded, so the same seed writes the same bytes again.
 */
public final class RandomContent {

    /** Bytes per write: large enough that the syscalls do not show, small enough to stay in cache. */
    public static final int PIECE_BYTES = 1 << 20;

    private RandomContent() {
    }

    /**
     * Writes {@code size} bytes drawn from {@code random} to {@code out} at its position; {@code digest}, when
     * not null, sees every byte written.
     */
    public static void write(WritableByteChannel out, long size, SplittableRandom random, MessageDigest digest)
            throws IOException {
        ByteBuffer piece = ByteBuffer.allocateDirect(PIECE_BYTES);
        for (long written = 0; written < size; ) {
            piece.clear();
            while (piece.remaining() >= Long.BYTES) {
                piece.putLong(random.nextLong());
            }
            piece.flip().limit((int) Math.min(piece.limit(), size - written));
            if (digest != null) {
                digest.update(piece.duplicate());
            }
            while (piece.hasRemaining()) {
                written += out.write(piece);
            }
        }
    }

    /** Creates {@code file}, which must not exist, with {@code size} bytes from {@code seed}; returns their SHA-256 (hex). */
    public static String createNew(Path file, long size, long seed) throws IOException {
        MessageDigest digest = sha256();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(out, size, new SplittableRandom(seed), digest);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A SHA-256 digest (every JDK has one). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
