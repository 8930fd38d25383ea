// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * fsync(2) of files and folders, so that what a rename publishes is on the disk before the rename is: without
 * it a power cut can leave the new name pointing at blocks never written.
 */
public final class Fsync {

    private Fsync() {
    }

    /** The file or folder itself (a folder's entries: creations, renames, deletions in it). */
    public static void path(Path path) throws IOException {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Every regular file and folder of the tree at {@code root} (a file alone when it is one); links are not followed. */
    public static void tree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    path(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                path(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
