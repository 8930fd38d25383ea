package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.layerstore.services.config.ShareSettings;

/**
 * A shared folder, opened: its canonical root, and the one way to turn request segments into a file
 * inside it. Symbolic links are followed only while their target stays inside the share.
 */
public final class Share {

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

    /**
     * The existing file or directory that {@code segments} name inside this share.
     *
     * @param segments decoded path segments below the share, none of them "..", "." or containing '/'
     * @param rawPath  the request path, for the refusal message
     */
    public Path resolveExisting(List<String> segments, String rawPath) throws PathRefusedException {
        Path candidate = root;
        for (String segment : segments) {
            candidate = candidate.resolve(segment);
        }
        if (!candidate.normalize().startsWith(root)) {
            throw PathRefusedException.escape(rawPath, "resolves outside share '" + name() + "'");
        }
        if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
            throw PathRefusedException.notFound(rawPath);
        }
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (IOException e) {
            // A dangling link or a race with a delete: either way there is nothing to serve.
            throw PathRefusedException.notFound(rawPath);
        }
        if (!real.startsWith(root)) {
            throw PathRefusedException.escape(rawPath, "symbolic link leads outside share '" + name() + "' to " + real);
        }
        return real;
    }
}
