// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import org.layerstore.services.http.webdav.Trees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a complete file or tree ({@code content}: a COPY's finished temporary, a MOVE's source) at a path of
 * the same share that may already hold something, so that a crash at any moment leaves either the old
 * destination or the new one, never a mixture, and never neither.
 *
 * <p>A file over a file (or nothing) is one rename(2), atomic by itself. A folder on either side cannot be
 * renamed over in one step, so the replacement goes through an intent written first, in the share's
 * {@value #JOURNAL} folder:
 * <ol>
 * <li>the intent (content, destination, aside: three paths relative to the share) is written and fsynced,
 *     and so is the journal folder;</li>
 * <li>the destination is renamed aside to {@code .layerstore-replaced-HEX.tmp} beside it (nothing deleted);</li>
 * <li>the content is renamed to the destination: the commit point;</li>
 * <li>the aside tree is deleted, then the intent.</li>
 * </ol>
 * {@link #recover} replays the intents left by a crash, before the share is served: the aside still there
 * with the content not yet moved (between 2 and 3) goes back to the destination (rolled back: the request
 * never happened); the aside there with the content gone (after 3) is deleted (rolled forward: the request
 * is done); no aside means nothing was destroyed yet, or everything is done, and the intent is dropped.
 */
public final class Replacement {

    /** The share's folder of intents, at its root. */
    public static final String JOURNAL = Share.RESERVED_PREFIX + "journal";

    private static final Logger LOG = LoggerFactory.getLogger(Replacement.class);
    static final String INTENT_SUFFIX = ".intent";
    private static final int FORMAT = 1;

    /** One replacement under way: paths relative to the share's root. */
    record Intent(Path content, Path destination, Path aside) {

        /** Writes the intent as {@code file} (which must not exist) and makes it durable, its folder's entry too. */
        void writeTo(Path file) throws IOException {
            Files.write(file, encode(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            Fsync.path(file);
            Fsync.path(file.getParent());
        }

        byte[] encode() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeUTF(content.toString());
                out.writeUTF(destination.toString());
                out.writeUTF(aside.toString());
            }
            return bytes.toByteArray();
        }

        static Intent decode(byte[] bytes) throws IOException {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
                if (in.readByte() != FORMAT) {
                    throw new IOException("unknown intent format");
                }
                return new Intent(Path.of(in.readUTF()), Path.of(in.readUTF()), Path.of(in.readUTF()));
            }
        }
    }

    private Replacement() {
    }

    /**
     * Makes {@code content} the share's {@code destination}, replacing what is there. Both lie inside the
     * share rooted at {@code root}, on its filesystem. {@code content} and {@code destination} are the paths
     * the renames use (members of held-open folders, {@link OpenDirectory#resolve}, so that no link swapped in
     * meanwhile leads them out of the share); {@code contentInShare} and {@code destinationInShare} are the
     * same two under {@code root}, for the intent that a later start replays. On a failure before the commit
     * point the destination is as it was and {@code content} where it was.
     */
    public static void install(Path root, Path content, Path destination, Path contentInShare,
            Path destinationInShare) throws IOException {
        boolean folder = Files.isDirectory(content, LinkOption.NOFOLLOW_LINKS)
                || Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS);
        if (!folder || !Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            Files.move(content, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncFolders(content, destination);
            return;
        }
        Path aside = TemporaryNames.beside(destination, TemporaryNames.REPLACED);
        Path journal = Files.createDirectories(root.resolve(JOURNAL));
        Path intentFile = journal.resolve(aside.getFileName() + INTENT_SUFFIX);
        try {
            new Intent(root.relativize(contentInShare), root.relativize(destinationInShare),
                    root.relativize(destinationInShare.resolveSibling(aside.getFileName()))).writeTo(intentFile);
            Files.move(destination, aside, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(intentFile);
            throw e;
        }
        try {
            Files.move(content, destination, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.move(aside, destination, StandardCopyOption.ATOMIC_MOVE);
            Files.delete(intentFile);
            throw e;
        }
        try {
            syncFolders(content, destination);
            Trees.delete(aside);
            Files.delete(intentFile);
        } catch (IOException e) {
            // The replacement has taken place: the request succeeded, and the next start deletes what is left.
            LOG.warn("{} replaced, but its old version {} is not deleted yet (the next start does it): {}", destination,
                    aside, e.toString());
        }
    }

    private static void syncFolders(Path content, Path destination) throws IOException {
        Fsync.path(destination.getParent());
        if (!content.getParent().equals(destination.getParent())) {
            Fsync.path(content.getParent());
        }
    }

    /**
     * Completes or rolls back every replacement a crash interrupted in the share at {@code root}; returns how
     * many intents it found. An intent it cannot carry out stays (with its aside) for the next start, logged.
     */
    static int recover(Path root) {
        Path journal = root.resolve(JOURNAL);
        if (!Files.isDirectory(journal, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        int found = 0;
        try (DirectoryStream<Path> intents = Files.newDirectoryStream(journal, "*" + INTENT_SUFFIX)) {
            for (Path intentFile : intents) {
                found++;
                replay(root, intentFile);
            }
            Fsync.path(journal);
        } catch (IOException e) {
            LOG.error("cannot read the replacement journal {}: {}", journal, e.toString());
        }
        return found;
    }

    private static void replay(Path root, Path intentFile) {
        Intent intent;
        try {
            intent = Intent.decode(Files.readAllBytes(intentFile));
        } catch (IOException e) {
            // Unreadable: it was never fsynced whole, so nothing was renamed after it was written.
            LOG.warn("dropping the unfinished intent {}: {}", intentFile, e.toString());
            deleteIntent(intentFile);
            return;
        }
        Path content = root.resolve(intent.content());
        Path destination = root.resolve(intent.destination());
        Path aside = root.resolve(intent.aside());
        try {
            if (!Files.exists(aside, LinkOption.NOFOLLOW_LINKS)) {
                LOG.info("replacement of {} interrupted before it moved anything, or after it finished: nothing to undo",
                        destination);
            } else if (Files.exists(content, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(aside, destination, StandardCopyOption.ATOMIC_MOVE);
                Fsync.path(destination.getParent());
                LOG.warn("replacement of {} by {} interrupted before it took place: rolled back, the old {} is back",
                        destination, content, destination.getFileName());
            } else {
                Trees.delete(aside);
                LOG.warn("replacement of {} interrupted after it took place: completed (the old version deleted)",
                        destination);
            }
            deleteIntent(intentFile);
        } catch (IOException e) {
            LOG.error("cannot recover the replacement of {} (intent {} kept for the next start): {}", destination,
                    intentFile, e.toString());
        }
    }

    private static void deleteIntent(Path intentFile) {
        try {
            Files.delete(intentFile);
        } catch (IOException e) {
            LOG.error("cannot delete the intent {}: {}", intentFile, e.toString());
        }
    }
}
