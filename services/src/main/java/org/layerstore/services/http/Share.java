// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.layerstore.datapath.OpenFile;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.FileStatus;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;
import org.layerstore.hal.libc.PathDescriptor;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.webdav.DeadPropertyStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shared folder, opened: its canonical root, who may do what in it, and the one way to turn request
 * segments into a path inside it. Symbolic links are followed only while their target stays inside.
 */
public final class Share implements AutoCloseable {

    /** Names the server keeps for itself (temporaries, the journal, the property sidecar): never listed, never served. */
    public static final String RESERVED_PREFIX = ".layerstore-";

    private static final Logger LOG = LoggerFactory.getLogger(Share.class);

    private final ShareSettings settings;
    private final Path root;
    private final DeadPropertyStore properties;
    /** The root, open as an O_PATH directory descriptor: what {@link #resolver} resolves every request's name beneath. */
    private final PathDescriptor rootDescriptor;
    private final CompletableFuture<Integer> sweep;
    private final BeneathResolver resolver;
    /**
     * Each event loop's open-file cache, made on its first request: one per thread, so that lookups never
     * wait for each other (one cache shared by two loops spent a futex call on every other request in its
     * lock). Null in it when the share keeps no open files ({@code openFileCache: 0}, or no inotify).
     */
    private final ThreadLocal<OpenFileCache> threadsOpenFiles = ThreadLocal.withInitial(this::newOpenFileCache);
    private final List<OpenFileCache> openFileCaches = new CopyOnWriteArrayList<>();

    private Share(ShareSettings settings, Path root, PathDescriptor rootDescriptor, CompletableFuture<Integer> sweep) {
        this.sweep = sweep;
        this.settings = settings;
        this.root = root;
        this.rootDescriptor = rootDescriptor;
        this.resolver = new BeneathResolver(root, rootDescriptor);
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
        PathDescriptor rootDescriptor;
        try {
            rootDescriptor = PathDescriptor.open(real.toString());
        } catch (NativeCallException e) {
            throw new IOException("share '" + settings.name() + "': cannot open root " + real + ": " + e.getMessage(), e);
        }
        if (!isFolder(rootDescriptor)) {
            rootDescriptor.close();
            throw new IOException("share '" + settings.name() + "': root " + settings.root() + " is not a directory");
        }
        CompletableFuture<Integer> sweep = CompletableFuture.completedFuture(0);
        if (!settings.readOnly()) {
            // Before anyone is served: a client must never see a replacement half done.
            int intents = Replacement.recover(real);
            if (intents > 0) {
                LOG.info("share '{}': {} interrupted COPY or MOVE replacements settled", settings.name(), intents);
            }
            sweep = TemporarySweep.start(settings.name(), real);
        }
        return new Share(settings, real, rootDescriptor, sweep);
    }

    /** The sweep of temporaries a killed server left, begun when the share was opened: how many it removed. */
    public CompletableFuture<Integer> sweep() {
        return sweep;
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
     * ancestor (or itself) must really lie inside the share once symbolic links are followed. This is an
     * early answer (403 before a body is read), not a guarantee: the handlers then act only through
     * {@link #openInside} and {@link #parentInside}, which hold for what they opened.
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
        boolean plainNames = true;
        for (String segment : segments) {
            if (segment.startsWith(RESERVED_PREFIX)) {
                throw PathRefusedException.notFound(rawPath);
            }
            plainNames &= !segment.equals("..") && segment.indexOf('/') < 0;
            candidate = candidate.resolve(segment);
        }
        // Only a ".." or a separator inside a segment can lead out of the root; for plain names (every request
        // RequestPath parsed) the textual check is skipped: normalize() cost a twentieth of a small GET (JFR).
        if (!plainNames && !candidate.normalize().startsWith(root)) {
            throw PathRefusedException.escape(rawPath, "resolves outside share '" + name() + "'");
        }
        return new Resource(this, segments, candidate);
    }

    /**
     * As {@link #openBeneath}, kept open from an earlier request of this thread when its
     * {@link OpenFileCache} has the file: for the event loops, which answer most GETs and HEADs.
     */
    public Optional<ShareFile> openKept(Resource resource) {
        OpenFileCache cache = resource.segments().isEmpty() ? null : threadsOpenFiles.get();
        ShareFile kept = cache == null ? null : cache.open(resource);
        return kept != null ? Optional.of(kept) : openBeneath(resource);
    }

    /**
     * The regular file {@code resource} names, opened for reading inside the share (see
     * {@link BeneathResolver}), with its status. Empty whenever this quick way cannot decide: no such file,
     * a folder, a link that leaves the share, something not a regular file. The caller then takes
     * {@link #openInside}, which gives the precise answer (404, 403, the folder page).
     */
    public Optional<ShareFile> openBeneath(Resource resource) {
        if (resource.segments().isEmpty()) {
            return Optional.empty();
        }
        // O_NONBLOCK: opening a FIFO someone put in the share must not wait for a writer.
        OpenOutcome opened = resolver.open(resource.segments(), OpenFlags.READ_ONLY | OpenFlags.NON_BLOCKING);
        if (!opened.isOpen()) {
            return Optional.empty();
        }
        FileStatus status;
        try {
            status = opened.status();
        } catch (NativeCallException e) {
            opened.close();
            return Optional.empty();
        }
        if (!status.isRegularFile()) {
            opened.close();
            return Optional.empty();
        }
        return Optional.of(new ShareFile(resource, OpenFile.adoptForReading(resource.path(), opened), FileState.of(status)));
    }

    /**
     * What {@code resource} names, opened with {@code flags} inside the share (links followed while they
     * stay inside): open, the caller's to take or close.
     *
     * @throws PathRefusedException 404 when nothing is there, 403 when it leads outside the share
     */
    public OpenOutcome openInside(Resource resource, int flags, String rawPath) throws PathRefusedException, IOException {
        return checked(resolver.open(resource.segments(), flags), rawPath);
    }

    /**
     * What {@code resource} names, opened with O_PATH inside the share (links followed while they stay
     * inside): for its status, its listing or its attributes, all on that one object.
     *
     * @throws PathRefusedException 404 when nothing is there, 403 when it leads outside the share
     */
    public PathDescriptor pathInside(Resource resource, String rawPath) throws PathRefusedException, IOException {
        return openInside(resource, OpenFlags.PATH_ONLY, rawPath).asPath();
    }

    /**
     * The folder that holds {@code resource}, held open (see {@link OpenDirectory}): where a write creates,
     * renames or removes the resource's own name without following it.
     *
     * @throws PathRefusedException 404 when the folder is not there, 403 when its path leads outside the share
     */
    public OpenDirectory parentInside(Resource resource, String rawPath) throws PathRefusedException, IOException {
        List<String> segments = resource.segments();
        return new OpenDirectory(checked(resolver.openFolder(segments.subList(0, Math.max(0, segments.size() - 1))),
                rawPath).asPath());
    }

    /** The state of what {@code resource} leads to inside the share; empty when nothing, or outside. */
    public Optional<FileState> stateInside(Resource resource) {
        try (OpenedInside opened = openedInside(resource).orElse(null)) {
            return opened == null ? Optional.empty() : Optional.of(opened.state());
        }
    }

    /** What {@code resource} leads to inside the share, opened with O_PATH; empty when nothing, or outside. */
    public Optional<OpenedInside> openedInside(Resource resource) {
        OpenOutcome opened = resolver.open(resource.segments(), OpenFlags.PATH_ONLY);
        if (!opened.isOpen()) {
            return Optional.empty();
        }
        FileState state;
        try {
            state = FileState.of(opened.status());
        } catch (NativeCallException e) {
            opened.close();
            return Optional.empty();
        }
        return Optional.of(new OpenedInside(opened.asPath(), state));
    }

    private static boolean isFolder(PathDescriptor opened) {
        try {
            return opened.status().isDirectory();
        } catch (NativeCallException e) {
            return false;
        }
    }

    private OpenOutcome checked(OpenOutcome opened, String rawPath) throws PathRefusedException, IOException {
        if (opened.isOpen()) {
            return opened;
        }
        int errno = opened.errno();
        if (errno == Errno.ENOENT || errno == Errno.ENOTDIR) {
            throw PathRefusedException.notFound(rawPath);
        }
        if (errno == Errno.EXDEV || errno == Errno.ELOOP) {
            throw PathRefusedException.escape(rawPath, "symbolic link leads outside share '" + name() + "' (or loops)");
        }
        if (errno == Errno.EACCES || errno == Errno.EPERM) {
            throw new AccessDeniedException(rawPath);
        }
        throw new IOException("opening " + PathRefusedException.quote(rawPath) + ": " + new Errno(errno));
    }

    /** The calling thread's open-file cache; null when the share keeps none. */
    OpenFileCache openFiles() {
        return threadsOpenFiles.get();
    }

    /** Files every event loop's open-file cache keeps now: a descriptor each. */
    int openFilesKept() {
        return openFileCaches.stream().mapToInt(OpenFileCache::size).sum();
    }

    /** Of {@link #openFilesKept}, those a response still sends from. */
    int openFilesSending() {
        return openFileCaches.stream().mapToInt(OpenFileCache::sending).sum();
    }

    private OpenFileCache newOpenFileCache() {
        OpenFileCache cache = OpenFileCache.open(settings.name(), rootDescriptor, settings.openFileCache());
        if (cache != null) {
            openFileCaches.add(cache);
        }
        return cache;
    }

    @Override
    public void close() {
        openFileCaches.forEach(OpenFileCache::close);
        rootDescriptor.close();
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
