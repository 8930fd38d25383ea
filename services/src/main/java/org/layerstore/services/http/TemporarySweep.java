package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.layerstore.services.http.webdav.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, before a share is served, deletes the temporaries a killed server left in it: uploads and COPY
 * trees that never completed, recognised by their exact name ({@link TemporaryNames}), anywhere in the share
 * (each was made beside its target). Nothing else is touched: not a user's file, not the journal's folder,
 * not a destination set aside by a replacement (its intent decides, {@link Replacement#recover}). Symbolic
 * links are not followed. A temporary it cannot delete is logged and the share is served all the same
 * (temporaries are never listed or served).
 */
final class TemporarySweep {

    private static final Logger LOG = LoggerFactory.getLogger(TemporarySweep.class);

    private TemporarySweep() {
    }

    /** Sweeps the share at {@code root}; returns how many temporaries it deleted. */
    static int sweep(Path root) throws IOException {
        int[] deleted = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.equals(root) ? "" : dir.getFileName().toString();
                if (name.equals(Replacement.JOURNAL)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (TemporaryNames.isSweptAtStart(name)) {
                    remove(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (TemporaryNames.isSweptAtStart(file.getFileName().toString())) {
                    remove(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                LOG.warn("temporary sweep: cannot read {}: {}", file, e.toString());
                return FileVisitResult.CONTINUE;
            }

            private void remove(Path temporary) {
                try {
                    Trees.delete(temporary);
                    deleted[0]++;
                    LOG.info("removed {}, left by an upload or COPY that never completed", temporary);
                } catch (IOException e) {
                    LOG.warn("temporary sweep: cannot remove {}: {}", temporary, e.toString());
                }
            }
        });
        return deleted[0];
    }
}
