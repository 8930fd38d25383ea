// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The WebDAV lock table on disk, in the appliance's state directory, so a restart keeps every granted lock
 * token valid (RFC 4918 section 6.6: a lock lasts until its timeout or its UNLOCK, whatever the server
 * does meanwhile). Written whole at each change, atomically: a temporary file, fsync, rename over the old
 * one, fsync of the folder; a crash leaves the old table or the new one, never half of one.
 */
final class LockFile {

    static final String NAME = "webdav-locks.json";
    private static final Logger LOG = LoggerFactory.getLogger(LockFile.class);
    private static final TypeReference<List<ActiveLock>> LOCKS = new TypeReference<>() {
    };

    private final Path file;
    private final ObjectMapper json = JsonMapper.builder().build();

    LockFile(Path stateDir) {
        this.file = stateDir.resolve(NAME);
    }

    Path path() {
        return file;
    }

    /**
     * The locks saved last, or none when there is no file yet. A file that cannot be parsed is moved aside
     * (to {@code webdav-locks.json.unreadable}, kept for whoever looks) with a warning, and the table starts
     * empty: clients then see their tokens refused and lock again, as after a restart without persistence.
     */
    List<ActiveLock> load() throws IOException {
        try {
            return List.copyOf(json.readValue(Files.readAllBytes(file), LOCKS));
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (JacksonException e) {
            Path aside = file.resolveSibling(NAME + ".unreadable");
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("WebDAV lock file {} is unreadable ({}); moved to {}, starting with no locks", file,
                    e.getOriginalMessage(), aside);
            return List.of();
        }
    }

    /** Replaces the file with {@code locks}; synchronized so the last change made is the one on disk. */
    synchronized void save(Collection<ActiveLock> locks) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(NAME + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(json.writeValueAsBytes(locks));
            while (bytes.hasRemaining()) {
                out.write(bytes);
            }
            out.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        }
    }
}
