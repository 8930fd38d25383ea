// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.file.Path;

/**
 * The {@code /proc/self/fd/N} path of a descriptor: opening it opens the object the descriptor has open
 * (proc(5)), and reading it as a link gives that object's current path.
 */
public final class DescriptorPaths {

    private static final Path SELF_FD = Path.of("/proc/self/fd");

    private DescriptorPaths() {
    }

    public static Path of(int fd) {
        return SELF_FD.resolve(Integer.toString(fd));
    }
}
