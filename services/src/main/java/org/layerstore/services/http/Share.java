package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.layerstore.services.config.ShareSettings;

/**
 * A shared folder, opened: its canonical root, who may do what in it, and the one way to turn request
 * segments into a path inside it. Symbolic links are followed only while their target stays inside.
 */
public final class Share {

    /** Names the server keeps for itself (upload temporaries): never listed, never served. */
    static final String RESERVED_PREFIX = ".layerstore-";

    private final ShareSettings settings;
    private final Path root;

    private Share(ShareSettings settings, Path root) {
        this.settings = settings;
        this.root = root;
    }

    /** Opens a share; its root must be an existing directory. */
    public static Share open(ShareSettings settings) throws IOException {
        Path real;
        try {
            real = settings.root().toRealPath();
        } catch (NoSuchFileException e) {
            throw new IOException("share '" + settings.name() + "': root " + settings.root() + " does not exist", e);
        }
        if (!Files.isDirectory(real)) {
            throw new IOException("share '" + settings.name() + "': root " + settings.root() + " is not a directory");
        }
        return new Share(settings, real);
    }

    public String name() {
        return settings.name();
    }

    public Path root() {
        return root;
    }

    public boolean readOnly() {
        return settings.readOnly();
    }

    public String engine() {
        return settings.engine();
    }

    /** What {@code user} (null: an anonymous client) may do here. */
    public Access access(String user) {
        if (user == null) {
            return settings.anonymousRead() ? Access.READ : Access.NONE;
        }
        Access granted;
        if (settings.users() == null) {
            granted = Access.READ_WRITE;
        } else {
            String right = settings.users().get(user);
            granted = right == null ? (settings.anonymousRead() ? Access.READ : Access.NONE)
                    : right.equals(ShareSettings.READ_WRITE) ? Access.READ_WRITE : Access.READ;
        }
        return granted == Access.READ_WRITE && readOnly() ? Access.READ : granted;
    }

    /**
     * The resource {@code segments} name inside this share, which need not exist. Its deepest existing
     * ancestor (or itself) must really lie inside the share once symbolic links are followed.
     *
     * @param segments decoded path segments below the share, none of them "..", "." or containing '/'
     * @param rawPath  the request path, for the refusal message
     */
    public Resource locate(List<String> segments, String rawPath) throws PathRefusedException {
        Path candidate = root;
        for (String segment : segments) {
            if (segment.startsWith(RESERVED_PREFIX)) {
                throw PathRefusedException.notFound(rawPath);
            }
            candidate = candidate.resolve(segment);
        }
        if (!candidate.normalize().startsWith(root)) {
            throw PathRefusedException.escape(rawPath, "resolves outside share '" + name() + "'");
        }
        for (Path existing = candidate; existing != null && existing.startsWith(root); existing = existing.getParent()) {
            if (!Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Path real;
            try {
                real = existing.toRealPath();
            } catch (IOException e) {
                continue; // a dangling link: judge by its folder
            }
            if (!real.startsWith(root)) {
                throw PathRefusedException.escape(rawPath,
                        "symbolic link leads outside share '" + name() + "' to " + real);
            }
            break;
        }
        return new Resource(this, segments, candidate);
    }

    /** The existing file or directory that {@code segments} name; 404 when there is none. */
    public Path resolveExisting(List<String> segments, String rawPath) throws PathRefusedException {
        Resource resource = locate(segments, rawPath);
        if (!resource.exists()) {
            throw PathRefusedException.notFound(rawPath);
        }
        return resource.path();
    }
}
