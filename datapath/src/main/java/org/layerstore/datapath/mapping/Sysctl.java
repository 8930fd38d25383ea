// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Kernel settings as {@code sysctl} names them ({@code vm.compact_unevictable_allowed}), read from a
 * {@code /proc/sys} tree: the running kernel's, or another directory laid out the same way (tests).
 */
public record Sysctl(Path root) {

    /** The running kernel's settings. */
    public static Sysctl system() {
        return new Sysctl(Path.of("/proc/sys"));
    }

    /**
     * The value of {@code name}, trimmed; empty when this kernel has no such setting (the feature is not
     * built in).
     *
     * @throws IOException when the setting exists but cannot be read
     */
    public Optional<String> read(String name) throws IOException {
        Path file = root.resolve(name.replace('.', '/'));
        try {
            return Optional.of(Files.readString(file).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
