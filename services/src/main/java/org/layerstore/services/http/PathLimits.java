// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Linux's limits on names and paths ({@code NAME_MAX} and {@code PATH_MAX} of {@code <linux/limits.h>}),
 * checked on a request's decoded path before it reaches any system call. A name or path beyond them can
 * name nothing on disk: the kernel would answer ENAMETOOLONG to whichever call met it first, and Java's
 * file API reports that only as message text. Checking the bytes first gives every method the same clear
 * refusal: 400 for a name too long, 414 for a path too long.
 */
final class PathLimits {

    /** Bytes in one name: 255 on ext4, XFS, btrfs and tmpfs alike. */
    static final int NAME_MAX = 255;
    /** Bytes in a path handed to a system call, its terminating NUL included. */
    static final int PATH_MAX = 4096;
    /**
     * Bytes kept below {@link #PATH_MAX} for the names the server puts under or beside a request's path:
     * an upload's temporary ({@code .layerstore-upload-<hex>.tmp}, 37 bytes in place of the name) and the
     * sidecar property store's {@code .layerstore-props/} prefix and {@code /.props} suffix (25 bytes).
     */
    static final int RESERVED_BYTES = 64;

    private PathLimits() {
    }

    /**
     * Refuses {@code segments} (decoded, below the share at {@code root}) when one is longer than
     * {@link #NAME_MAX} bytes, or when together with the root they leave less than {@link #RESERVED_BYTES}
     * of {@link #PATH_MAX}.
     */
    static void check(Path root, List<String> segments, String rawPath) throws PathRefusedException {
        long bytes = utf8Bytes(root.toString()) + 1; // the NUL
        for (String segment : segments) {
            int name = utf8Bytes(segment);
            if (name > NAME_MAX) {
                throw PathRefusedException.tooLong(rawPath, HttpResponseStatus.BAD_REQUEST,
                        "a name of " + name + " bytes (NAME_MAX " + NAME_MAX + ")");
            }
            bytes += 1 + name;
        }
        if (bytes + RESERVED_BYTES > PATH_MAX) {
            throw PathRefusedException.tooLong(rawPath, HttpResponseStatus.REQUEST_URI_TOO_LONG,
                    "a path of " + bytes + " bytes on disk (PATH_MAX " + PATH_MAX + ", " + RESERVED_BYTES
                            + " kept for the server's own names)");
        }
    }

    private static int utf8Bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
