// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;

import org.layerstore.services.http.webdav.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, deletes the temporaries a killed server left in a share: uploads and COPY trees that never
 * completed, recognised by their exact name and another process's mark ({@link TemporaryNames}), anywhere in
 * the share (each was made beside its target). It walks the whole share, which takes seconds per 100 000
 * entries on a cold cache, so it runs on a thread of its own while the share is already served: leftovers
 * are never listed or served, and the running server's temporaries carry its own mark. Nothing else is
 * touched: not a user's file, not the journal's folder,
 * not a destination set aside by a replacement (its intent decides, {@link Replacement#recover}). Symbolic
 * links are not followed. A temporary it cannot delete is logged and the share is served all the same
 * (temporaries are never listed or served).
 */
final class TemporarySweep {

    private static final Logger LOG = LoggerFactory.getLogger(TemporarySweep.class);

    private TemporarySweep() {
    }

    /** Starts sweeping the share {@code name} at {@code root}; the result is how many temporaries it deleted. */
    static CompletableFuture<Integer> start(String name, Path root) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("layerstore-sweep-" + name).start(() -> {
            long started = System.nanoTime();
            try {
                int deleted = sweep(root);
                LOG.info("share '{}': {} temporaries left by a killed server removed (the walk took {} ms)", name,
                        deleted, (System.nanoTime() - started) / 1_000_000);
                result.complete(deleted);
            } catch (IOException | RuntimeException e) {
                LOG.warn("share '{}': the sweep of temporaries stopped: {}", name, e.toString());
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static int sweep(Path root) throws IOException {
        int[] deleted = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                String name = dir.equals(root) ? "" : dir.getFileName().toString();
                if (name.equals(Replacement.JOURNAL)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (TemporaryNames.isLeftOver(name)) {
                    remove(dir);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (TemporaryNames.isLeftOver(file.getFileName().toString())) {
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
