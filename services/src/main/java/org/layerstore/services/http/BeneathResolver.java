// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.layerstore.hal.libc.Errno;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;
import org.layerstore.hal.libc.PathDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the names of one share, symbolic links followed, only when what they lead to lies inside the share,
 * and without a gap between checking and using: every caller works with the descriptor it gets, never with
 * the name again (a link swapped meanwhile changes nothing for it).
 *
 * <p>First {@code openat2} with {@code RESOLVE_BENEATH} (the kernel refuses every step that leaves the
 * root). It also refuses absolute links, even those that lead back inside, and kernels before 5.6 lack it;
 * then the name is opened as {@code open(2)} resolves it and the descriptor is kept only if its own path,
 * as {@code /proc/self/fd} reports it for the object actually opened, is inside the root. Both checks look
 * at what was opened, so both are free of the check-then-use race; the second opens something outside
 * only with O_PATH, which neither reads, writes nor runs a device's open.
 */
final class BeneathResolver {

    private static final Logger LOG = LoggerFactory.getLogger(BeneathResolver.class);
    /** Set once a kernel answers ENOSYS: from then on every name takes the open-then-verify way. */
    private static volatile boolean openat2Missing;

    private final Path root;
    private final PathDescriptor rootDescriptor;

    BeneathResolver(Path root, PathDescriptor rootDescriptor) {
        this.root = root;
        this.rootDescriptor = rootDescriptor;
    }

    /**
     * Opens {@code segments} (none: the root) with {@code flags} (O_CLOEXEC added): the descriptor, or the
     * errno why not: ENOENT and ENOTDIR for nothing there, EXDEV for a name that leads outside.
     */
    OpenOutcome open(List<String> segments, int flags) {
        String relative = segments.isEmpty() ? "." : String.join("/", segments);
        if (!openat2Missing) {
            OpenOutcome opened = rootDescriptor.openBeneath(relative, flags);
            if (opened.isOpen() || opened.errno() != Errno.EXDEV && opened.errno() != Errno.ENOSYS) {
                return opened;
            }
            if (opened.errno() == Errno.ENOSYS) {
                openat2Missing = true;
                LOG.info("this kernel has no openat2 (Linux 5.6+): names are opened, then checked by their descriptor");
            }
        }
        return openThenVerify(relative, flags);
    }

    /** Opens the folder {@code segments} (none: the root) with O_PATH, as {@link #open}; ENOTDIR if it is none. */
    OpenOutcome openFolder(List<String> segments) {
        return OpenDirectory.keptIfFolder(open(segments, OpenFlags.PATH_ONLY));
    }

    /**
     * Opens with O_PATH first, which runs no driver's open (a link to a device outside, a watchdog say, must
     * not start it), checks where that landed, then reopens the same object through its descriptor path
     * with {@code flags}: still that object, whatever the name leads to by then.
     */
    private OpenOutcome openThenVerify(String relative, int flags) {
        OpenOutcome located = OpenOutcome.open(root.resolve(relative).toString(), OpenFlags.PATH_ONLY);
        if (!located.isOpen()) {
            return located;
        }
        if (!inside(located)) {
            located.close();
            return OpenOutcome.failed(Errno.EXDEV);
        }
        if ((flags & OpenFlags.PATH_ONLY) != 0) {
            return located;
        }
        try (located) {
            return located.reopen(flags);
        }
    }

    /** Whether the object {@code located} has open lies in the root (its path as the kernel names it). */
    private boolean inside(OpenOutcome located) {
        try {
            Path opened = Files.readSymbolicLink(located.procPath());
            return opened.startsWith(root);
        } catch (IOException e) {
            return false;
        }
    }
}
