package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

import org.layerstore.services.http.Share;

/** Whole-tree file operations for DELETE, COPY and MOVE; symbolic links are copied and deleted as links. */
public final class Trees {

    private Trees() {
    }

    /** Deletes the file, link or whole folder at {@code path}. */
    public static void delete(Path path) throws IOException {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Copies {@code from} to the absent {@code to}: one file, one empty folder (shallow) or a whole tree. */
    static void copy(Path from, Path to, boolean deep, DeadPropertyStore properties) throws IOException {
        if (!Files.isDirectory(from) || !deep) {
            if (Files.isDirectory(from)) {
                Files.createDirectory(to);
            } else {
                Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
            properties.copied(from, to);
            return;
        }
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(from) && dir.getFileName().toString().startsWith(Share.RESERVED_PREFIX)) {
                    return FileVisitResult.SKIP_SUBTREE; // another request's temporary
                }
                Path target = to.resolve(from.relativize(dir).toString());
                Files.createDirectory(target);
                properties.copied(dir, target);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (file.getFileName().toString().startsWith(Share.RESERVED_PREFIX)) {
                    return FileVisitResult.CONTINUE; // another client's upload in progress
                }
                Path target = to.resolve(from.relativize(file).toString());
                Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                properties.copied(file, target);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
