// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Dead properties in a hidden tree at the share's root, {@code .layerstore-props/}, that mirrors the
 * share: the properties of {@code a/b.txt} are in {@code .layerstore-props/a/b.txt/.props}. For
 * filesystems without user xattrs, and for shares backed up by tools that drop xattrs. The server
 * moves and deletes the sidecar with each MOVE and DELETE; changes made behind its back (a file
 * renamed in a shell) leave the properties behind. The tree's name is reserved: never listed or served.
 */
final class SidecarPropertyStore implements DeadPropertyStore {

    static final String DIRECTORY = ".layerstore-props";
    private static final String FILE = ".props";

    private final Path root;
    private final Path sidecar;

    SidecarPropertyStore(Path root) {
        this.root = root;
        this.sidecar = root.resolve(DIRECTORY);
    }

    /** The sidecar folder of a path inside the share. */
    private Path node(Path path) {
        Path relative = root.relativize(path);
        return relative.toString().isEmpty() ? sidecar : sidecar.resolve(relative.toString());
    }

    /** Keyed by the path in the share: {@code opened} is not needed. */
    @Override
    public Map<PropertyName, String> read(Path path, Path opened) throws IOException {
        try {
            byte[] bytes = Files.readAllBytes(node(path).resolve(FILE));
            return DeadPropertyStore.decode(bytes, bytes.length, path);
        } catch (NoSuchFileException e) {
            return Map.of();
        }
    }

    @Override
    public void write(Path path, Path opened, Map<PropertyName, String> props) throws IOException {
        Path file = node(path).resolve(FILE);
        if (props.isEmpty()) {
            Files.deleteIfExists(file);
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(FILE + ".tmp");
            Files.write(tmp, DeadPropertyStore.encode(props));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) {
            throw new StoreFullException("cannot store dead properties of " + path + ": " + e.getReason(), e);
        }
    }

    @Override
    public void carryOver(Path old, Path replacement) {
        // the properties are keyed by path, which the replacement takes over
    }

    @Override
    public void moved(Path from, Path to) throws IOException {
        Path source = node(from);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path target = node(to);
        deleted(to);
        Files.createDirectories(target.getParent());
        Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void deleted(Path path) throws IOException {
        Path n = node(path);
        if (Files.exists(n, LinkOption.NOFOLLOW_LINKS)) {
            Trees.delete(n);
        }
    }
}
