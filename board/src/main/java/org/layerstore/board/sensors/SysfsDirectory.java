// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Lists the entries of a sysfs class directory; a class the kernel lacks (no thermal driver) lists as empty. */
final class SysfsDirectory {

    private SysfsDirectory() {
    }

    static List<Path> entries(Path directory, Predicate<String> nameFilter) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path entry : stream) {
                if (nameFilter.test(entry.getFileName().toString())) {
                    entries.add(entry);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new SensorException("cannot list " + directory + ": " + e.getMessage(), e);
        }
        return entries;
    }
}
