// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.SharedDescriptor;
import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.FileStatus;
import org.layerstore.hal.libc.Inotify;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;
import org.layerstore.hal.libc.PathDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share's open regular files, kept for GET and HEAD as nginx's {@code open_file_cache} keeps them: a hit
 * is the descriptor and status of an earlier request's open, without {@code openat2}, {@code statx} and
 * {@code close}.
 *
 * <p>Safe against the share's escape rules because of what it keeps and how it learns of change:
 * <ul>
 * <li>Only files whose name leads to them beneath the root without a symbolic link or a mount point on the
 * way ({@link PathDescriptor#openBeneathWithoutLinksOrMounts}): the folders the name passes are then the
 * folders it names, and the kernel refused everything else. Anything else is not kept, and takes the
 * share's usual way.</li>
 * <li>Every folder on the way (the root included) and the file itself are watched with inotify before the
 * file's name is resolved the second time, and the file is kept only if that resolution reaches the inode
 * first opened and no watch has reported anything meanwhile.</li>
 * <li>A lookup first reads every event queued ({@link Inotify#drain}). The kernel queues an event inside the
 * system call that made the change, so a rename, replacement, removal, truncation, write or attribute change
 * that has returned, made by the appliance's own PUT, DELETE, MOVE, COPY and PROPPATCH or by any other
 * process, is seen before the next file is served: any event on a folder drops every file kept below it,
 * any event on a file drops it, a lost event (queue overflow) drops them all.</li>
 * </ul>
 * A mount made over one of the share's folders is not an inotify event: what is kept below it goes on being
 * served until it changes or leaves the cache (mounting takes root on the appliance).
 *
 * <p>Bounded: at most {@code capacity} files (and descriptors), least recently used out first. Each kept
 * descriptor is a {@link SharedDescriptor}: the cache holds one share, each response sending from it
 * another, and the last to let go closes it, so a file dropped while a response still sends is closed once,
 * when that response ends. One per event loop ({@link Share#openKept}): its lock is taken by that loop
 * alone but for {@link #close}, so it costs an uncontended compare-and-set, never a wait.
 */
final class OpenFileCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenFileCache.class);

    private final PathDescriptor root;
    private final int capacity;
    private final Inotify inotify;
    private final ReentrantLock lock = new ReentrantLock();
    /** By the name's segments joined with '/', least recently used first. */
    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
    private final Map<Integer, Watch> watches = new HashMap<>();
    /** The folder watches by the folder's segments joined with '/' ("" is the root). */
    private final Map<String, Watch> folders = new HashMap<>();
    private boolean closed;

    /** A watch and the files kept through it; a folder's when {@code folder} is not null. */
    private static final class Watch {
        final int number;
        final String folder;
        final Set<Entry> dependents = new HashSet<>();

        Watch(int number, String folder) {
            this.number = number;
            this.folder = folder;
        }
    }

    private record Entry(String key, SharedDescriptor descriptor, FileState state, List<Watch> watches) {
    }

    private OpenFileCache(PathDescriptor root, int capacity, Inotify inotify) {
        this.root = root;
        this.capacity = capacity;
        this.inotify = inotify;
    }

    /** A cache of at most {@code capacity} files beneath {@code root}; null for 0, or when inotify is not to be had. */
    static OpenFileCache open(String share, PathDescriptor root, int capacity) {
        if (capacity == 0) {
            return null;
        }
        try {
            return new OpenFileCache(root, capacity, Inotify.open());
        } catch (NativeCallException e) {
            LOG.warn("share '{}': no open-file cache ({}): every request opens its file", share, e.getMessage());
            return null;
        }
    }

    /**
     * The regular file {@code resource} names, kept or opened now and kept: one more owner of its descriptor,
     * the caller's to close. Null when it is not a file this cache keeps (nothing there, a folder, a link or a
     * mount point on the way, something changing meanwhile): the caller takes the share's usual way.
     */
    ShareFile open(Resource resource) {
        String key = String.join("/", resource.segments());
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            inotify.drain(this::changed);
            Entry kept = entries.get(key);
            if (kept == null) {
                kept = load(resource.segments(), key);
                if (kept == null) {
                    return null;
                }
            }
            return new ShareFile(resource, OpenFile.lease(resource.path(), kept.descriptor()), kept.state());
        } finally {
            lock.unlock();
        }
    }

    /** Files kept now. */
    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }

    /** Files kept now that a response still sends from: their descriptor has an owner beside this cache. */
    int sending() {
        lock.lock();
        try {
            return (int) entries.values().stream().filter(e -> e.descriptor().owners() > 1).count();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Opens and keeps {@code segments}' file: opened, then every folder on the way and the file watched, then
     * the name resolved again and kept only if it still reaches the same inode and nothing changed since.
     */
    private Entry load(List<String> segments, String key) {
        OpenOutcome opened = root.openBeneathWithoutLinksOrMounts(key, OpenFlags.READ_ONLY | OpenFlags.NON_BLOCKING);
        if (!opened.isOpen()) {
            return null;
        }
        List<Watch> held = new ArrayList<>(segments.size() + 1);
        try (opened) {
            if (!regularFile(opened)) {
                return null;
            }
            if (!watchFolders(segments, held) || !watchFile(opened, held)) {
                return null;
            }
            FileStatus now = reresolved(key, opened);
            // Anything on the way that changed since its watch began: not kept (served the usual way).
            inotify.drain(this::changed);
            if (now == null || !stillWatched(held)) {
                return null;
            }
            Entry entry = new Entry(key, SharedDescriptor.adopt(opened), FileState.of(now), List.copyOf(held));
            for (Watch watch : held) {
                watch.dependents.add(entry);
            }
            entries.put(key, entry);
            evictBeyondCapacity();
            return entry;
        } finally {
            for (Watch watch : held) {
                unwatchIfUnused(watch);
            }
        }
    }

    private static boolean regularFile(OpenOutcome opened) {
        try {
            return opened.status().isRegularFile();
        } catch (NativeCallException e) {
            return false;
        }
    }

    /** Watches the root and each folder of {@code segments} but the last (the file), into {@code held}. */
    private boolean watchFolders(List<String> segments, List<Watch> held) {
        StringBuilder folder = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            Watch watch = folderWatch(folder.toString());
            if (watch == null) {
                return false;
            }
            held.add(watch);
            if (i > 0) {
                folder.append('/');
            }
            folder.append(segments.get(i));
        }
        return true;
    }

    private Watch folderWatch(String folder) {
        Watch known = folders.get(folder);
        if (known != null) {
            return known;
        }
        try (OpenOutcome opened = root.openBeneathWithoutLinksOrMounts(folder.isEmpty() ? "." : folder,
                OpenFlags.PATH_ONLY)) {
            if (!opened.isOpen()) {
                return null;
            }
            Watch watch = newWatch(inotify.watch(opened.procPath(), Inotify.FOLDER_CHANGES), folder);
            if (watch != null) {
                folders.put(folder, watch);
            }
            return watch;
        }
    }

    private boolean watchFile(OpenOutcome opened, List<Watch> held) {
        int number = inotify.watch(opened.procPath(), Inotify.FILE_CHANGES);
        Watch known = watches.get(number);
        // The same inode kept under another name already shares its watch.
        Watch watch = known != null && known.folder == null ? known : newWatch(number, null);
        if (watch == null) {
            return false;
        }
        held.add(watch);
        return true;
    }

    /** A new watch numbered {@code number}; null when there is none (negated errno) or it is another's. */
    private Watch newWatch(int number, String folder) {
        if (number < 0) {
            LOG.debug("open-file cache: no watch ({}): not kept", new Errno(-number));
            return null;
        }
        if (watches.containsKey(number)) {
            return null; // one object under two names (a bind mount): not kept
        }
        Watch watch = new Watch(number, folder);
        watches.put(number, watch);
        return watch;
    }

    /** The status of what {@code key} leads to now, if that is the inode {@code opened} has open; else null. */
    private FileStatus reresolved(String key, OpenOutcome opened) {
        try (OpenOutcome again = root.openBeneathWithoutLinksOrMounts(key, OpenFlags.PATH_ONLY)) {
            if (!again.isOpen()) {
                return null;
            }
            FileStatus now = again.status();
            return now.isRegularFile() && now.inode() == opened.status().inode() ? now : null;
        } catch (NativeCallException e) {
            return null;
        }
    }

    private boolean stillWatched(List<Watch> held) {
        for (Watch watch : held) {
            if (watches.get(watch.number) != watch) {
                return false;
            }
        }
        return true;
    }

    /** An inotify event: what was kept through the watch is dropped, and so is the watch. */
    private void changed(int number, int mask) {
        if ((mask & Inotify.OVERFLOW) != 0) {
            dropAll();
            return;
        }
        Watch watch = watches.get(number);
        if (watch == null) {
            return; // a watch already dropped: its IN_IGNORED, or a change it reported first
        }
        for (Entry entry : List.copyOf(watch.dependents)) {
            drop(entry);
        }
        forget(watch, (mask & Inotify.IGNORED) == 0);
    }

    private void evictBeyondCapacity() {
        Iterator<Entry> oldest = entries.values().iterator();
        while (entries.size() > capacity && oldest.hasNext()) {
            Entry entry = oldest.next();
            oldest.remove();
            release(entry);
        }
    }

    private void drop(Entry entry) {
        if (entries.remove(entry.key(), entry)) {
            release(entry);
        }
    }

    /** Lets go of {@code entry}'s descriptor (closed now unless a response still sends from it) and its watches. */
    private void release(Entry entry) {
        entry.descriptor().release();
        for (Watch watch : entry.watches()) {
            watch.dependents.remove(entry);
            unwatchIfUnused(watch);
        }
    }

    private void unwatchIfUnused(Watch watch) {
        if (watch.dependents.isEmpty() && watches.get(watch.number) == watch) {
            forget(watch, true);
        }
    }

    private void forget(Watch watch, boolean unwatch) {
        watches.remove(watch.number, watch);
        if (watch.folder != null) {
            folders.remove(watch.folder, watch);
        }
        if (unwatch) {
            inotify.unwatch(watch.number);
        }
    }

    private void dropAll() {
        for (Entry entry : List.copyOf(entries.values())) {
            drop(entry);
        }
        for (Watch watch : List.copyOf(watches.values())) {
            forget(watch, true);
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                dropAll();
                inotify.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
