package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.layerstore.datapath.OpenFile;
import org.layerstore.hal.bindings.libc.libc_h;
import org.layerstore.hal.libc.BeneathOpen;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.FileStatus;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.webdav.DeadPropertyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared folder, opened: its canonical root, who may do what in it, and the one way to turn request
 * segments into a path inside it. Symbolic links are followed only while their target stays inside.
 */
public final class Share implements AutoCloseable {

    /** Names the server keeps for itself (upload temporaries): never listed, never served. */
    static final String RESERVED_PREFIX = ".layerstore-";

    private static final Logger LOG = LoggerFactory.getLogger(Share.class);
    /** Set once a kernel answers ENOSYS: every share then checks paths the portable way. */
    private static volatile boolean openat2Missing;

    private final ShareSettings settings;
    private final Path root;
    private final DeadPropertyStore properties;
    /** The root, open as an O_PATH directory descriptor: what {@link #openBeneath} resolves paths beneath. */
    private final int rootFd;

    private Share(ShareSettings settings, Path root, int rootFd) {
        this.settings = settings;
        this.root = root;
        this.rootFd = rootFd;
        this.properties = DeadPropertyStore.forShare(root, settings.deadProperties());
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
        int rootFd;
        try {
            rootFd = Libc.open(real.toString(), libc_h.O_PATH() | libc_h.O_DIRECTORY());
        } catch (NativeCallException e) {
            throw new IOException("share '" + settings.name() + "': cannot open root " + real + ": " + e.getMessage(), e);
        }
        return new Share(settings, real, rootFd);
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

    /** Where this share keeps WebDAV dead properties. */
    public DeadPropertyStore properties() {
        return properties;
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
        Resource resource = unresolved(segments, rawPath);
        for (Path existing = resource.path(); existing != null && existing.startsWith(root); existing = existing.getParent()) {
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
        return resource;
    }

    /**
     * The resource {@code segments} name, checked only as text (reserved names, no way up, lengths within
     * {@link PathLimits}): its symbolic links are not followed yet. Use it only with {@link #openBeneath},
     * falling back to {@link #locate}.
     */
    public Resource unresolved(List<String> segments, String rawPath) throws PathRefusedException {
        PathLimits.check(root, segments, rawPath);
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
        return new Resource(this, segments, candidate);
    }

    /**
     * The regular file {@code resource} names, opened for reading in one openat2 that the kernel keeps
     * beneath the share's root (symbolic links included), with its status. Empty whenever this quick way
     * cannot decide: no such file, a folder, a link that leaves the share or is absolute, a kernel without
     * openat2 (before 5.6). The caller then takes {@link #locate}'s full check, which gives the precise
     * answer (404, 403, the folder page).
     */
    public Optional<ShareFile> openBeneath(Resource resource) {
        if (openat2Missing || resource.segments().isEmpty()) {
            return Optional.empty();
        }
        // O_NONBLOCK: opening a FIFO someone put in the share must not wait for a writer.
        int fd = BeneathOpen.open(rootFd, String.join("/", resource.segments()), libc_h.O_RDONLY() | libc_h.O_NONBLOCK());
        if (fd < 0) {
            if (fd == -Errno.ENOSYS) {
                openat2Missing = true;
                LOG.info("this kernel has no openat2 (Linux 5.6+): request paths are checked with realpath instead");
            }
            return Optional.empty();
        }
        FileStatus status;
        try {
            status = FileStatus.of(fd);
        } catch (NativeCallException e) {
            Libc.close(fd);
            return Optional.empty();
        }
        if (!status.isRegularFile()) {
            Libc.close(fd);
            return Optional.empty();
        }
        return Optional.of(new ShareFile(resource, OpenFile.adoptForReading(resource.path(), fd), FileState.of(status)));
    }

    @Override
    public void close() {
        Libc.close(rootFd);
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
