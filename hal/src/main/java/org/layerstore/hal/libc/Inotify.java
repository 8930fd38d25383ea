// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.layerstore.hal.bindings.inotify.inotify_event;
import org.layerstore.hal.bindings.inotify.inotify_h;

/**
 * An inotify instance (inotify(7)), non-blocking: watches on files and folders, and the events they queued.
 * The kernel queues an event inside the system call that makes the change (a rename, an unlink, a write, a
 * truncate), so an event of a change that has returned is in the queue by then: whoever {@link #drain}s
 * before acting sees every change completed before it. One caller at a time (the read buffer is this
 * object's); {@link #close} once.
 */
public final class Inotify implements AutoCloseable {

    /** What changes a folder's entries, or the folder itself: names created, removed, renamed; its own move or removal. */
    public static final int FOLDER_CHANGES = inotify_h.IN_CREATE() | inotify_h.IN_DELETE() | inotify_h.IN_MOVED_FROM()
            | inotify_h.IN_MOVED_TO() | inotify_h.IN_DELETE_SELF() | inotify_h.IN_MOVE_SELF() | inotify_h.IN_ATTRIB()
            | inotify_h.IN_MODIFY() | inotify_h.IN_ONLYDIR();
    /** What changes a file's content or status, through any of its names: writes, truncation, times, links, mode. */
    public static final int FILE_CHANGES = inotify_h.IN_MODIFY() | inotify_h.IN_ATTRIB() | inotify_h.IN_CLOSE_WRITE()
            | inotify_h.IN_DELETE_SELF() | inotify_h.IN_MOVE_SELF();
    /** The watch is gone (its object removed, its filesystem unmounted, or {@link #unwatch}). */
    public static final int IGNORED = inotify_h.IN_IGNORED();
    /** Events were lost (the queue was full): its watch number is -1, and any watch may have changed. */
    public static final int OVERFLOW = inotify_h.IN_Q_OVERFLOW();

    private static final MethodHandle INIT1 = ErrnoCapture.link(inotify_h.inotify_init1$address(),
            inotify_h.inotify_init1$descriptor());
    private static final MethodHandle ADD_WATCH = ErrnoCapture.link(inotify_h.inotify_add_watch$address(),
            inotify_h.inotify_add_watch$descriptor());
    private static final MethodHandle RM_WATCH = ErrnoCapture.link(inotify_h.inotify_rm_watch$address(),
            inotify_h.inotify_rm_watch$descriptor());
    /** Room for many events at once; an event with a name takes its header and up to NAME_MAX + 1 more. */
    private static final int BUFFER_BYTES = 16 * 1024;

    /** Receives each event read: its watch (-1 with {@link #OVERFLOW}) and its mask. */
    @FunctionalInterface
    public interface Events {
        void changed(int watch, int mask);
    }

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
    private boolean closed;

    private Inotify(int fd) {
        this.fd = fd;
    }

    /** A new instance, non-blocking and close-on-exec. */
    public static Inotify open() {
        int fd;
        try {
            fd = (int) INIT1.invokeExact(ErrnoCapture.state(), inotify_h.IN_NONBLOCK() | inotify_h.IN_CLOEXEC());
        } catch (Throwable e) {
            throw new IllegalStateException("inotify_init1: downcall failed", e);
        }
        if (fd < 0) {
            throw new NativeCallException("inotify_init1", "flags=IN_NONBLOCK|IN_CLOEXEC", ErrnoCapture.errno());
        }
        return new Inotify(fd);
    }

    /**
     * Watches what {@code object} names for {@code mask} ({@link #FOLDER_CHANGES}, {@link #FILE_CHANGES}): a
     * {@code /proc/self/fd} path watches the very object a descriptor has open (followed: never with
     * IN_DONT_FOLLOW, which would watch the magic link). Watches are added rarely (as
     * a cache fills), so the path goes through an arena of the call's own. The watch number, the same for
     * the same object; the negated errno when it cannot (ENOSPC: the user's watches are used up; ENOTDIR).
     */
    public int watch(Path object, int mask) {
        int wd;
        try (Arena call = Arena.ofConfined()) {
            wd = (int) ADD_WATCH.invokeExact(ErrnoCapture.state(), fd, call.allocateFrom(object.toString()), mask);
        } catch (Throwable e) {
            throw new IllegalStateException("inotify_add_watch: downcall failed", e);
        }
        return wd >= 0 ? wd : -ErrnoCapture.errno().code();
    }

    /** Stops watch {@code watch}; one already gone (its object removed) is no error. An {@link #IGNORED} event follows. */
    public void unwatch(int watch) {
        try {
            int rc = (int) RM_WATCH.invokeExact(ErrnoCapture.state(), fd, watch);
            if (rc < 0 && ErrnoCapture.errno().code() != Errno.EINVAL) {
                throw new NativeCallException("inotify_rm_watch", "wd=" + watch, ErrnoCapture.errno());
            }
        } catch (NativeCallException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("inotify_rm_watch: downcall failed", e);
        }
    }

    /** Reads every event queued until none is left, each to {@code sink}: how many there were (0: no change). */
    public int drain(Events sink) {
        int events = 0;
        while (true) {
            long n = Libc.read(fd, buffer);
            if (n == Libc.WOULD_BLOCK || n == 0) {
                return events;
            }
            for (long at = 0; at < n; at += inotify_event.sizeof() + inotify_event.len(buffer.asSlice(at))) {
                MemorySegment event = buffer.asSlice(at);
                sink.changed(inotify_event.wd(event), inotify_event.mask(event));
                events++;
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Libc.close(fd);
            arena.close();
        }
    }
}
