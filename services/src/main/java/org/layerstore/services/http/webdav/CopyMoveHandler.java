// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.Fsync;
import org.layerstore.services.http.Locator;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Replacement;
import org.layerstore.services.http.Resource;
import org.layerstore.services.http.TemporaryNames;
import org.layerstore.services.telemetry.TelemetryEvents;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * COPY and MOVE within one share (RFC 4918 sections 9.8, 9.9): Destination names the target, Overwrite
 * (default T) says whether an existing one may be replaced (else 412), Depth 0 copies a folder without
 * its members. A MOVE is a rename(2), so dead properties travel with it; locks do not. Onto an existing
 * resource either completes or leaves the destination as it was, across a crash too ({@link Replacement}).
 * The source of a MOVE and a destination replaced are gone from where they were: each raises the
 * {@code delete} event.
 */
public final class CopyMoveHandler implements MethodHandler {

    private final WriteGuard guard;
    private final Locator locator;
    private final boolean move;
    private final TelemetryEvents events;

    public CopyMoveHandler(WriteGuard guard, Locator locator, boolean move, TelemetryEvents events) {
        this.guard = guard;
        this.locator = locator;
        this.move = move;
        this.events = events;
    }

    @Override
    public void handle(Exchange ex, Resource source, byte[] body) throws IOException, PathRefusedException {
        String destinationHeader = ex.header("Destination");
        if (destinationHeader == null) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "Destination header missing\n");
            return;
        }
        Resource dest = locator.locate(destinationHeader, ex.header("Host"));
        if (dest == null) {
            ex.text(HttpResponseStatus.BAD_GATEWAY, "Destination is not on this server\n");
            return;
        }
        if (dest.share() != source.share()) {
            ex.text(HttpResponseStatus.FORBIDDEN, "Destination must be in the same share\n");
            return;
        }
        if (!source.exists()) {
            throw PathRefusedException.notFound(ex.request.uri());
        }
        String depth = ex.header("Depth") == null ? "infinity" : ex.header("Depth").trim();
        boolean deep = depth.equalsIgnoreCase("infinity");
        if (!deep && (move || !depth.equals("0"))) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "Depth must be infinity" + (move ? "" : " or 0") + "\n");
            return;
        }
        if (source.isShareRoot() || dest.isShareRoot() || dest.key().equals(source.key())) {
            ex.text(HttpResponseStatus.FORBIDDEN, "source and destination must differ and not be the share itself\n");
            return;
        }
        if (dest.key().startsWith(source.key() + "/")) {
            ex.text(HttpResponseStatus.CONFLICT, "cannot copy or move a folder into itself\n");
            return;
        }
        if (!dest.parent().isDirectory()) {
            ex.status(HttpResponseStatus.CONFLICT);
            return;
        }
        boolean existed = Files.exists(dest.path(), LinkOption.NOFOLLOW_LINKS);
        String overwrite = ex.header("Overwrite");
        if (existed && overwrite != null && overwrite.trim().equalsIgnoreCase("F")) {
            ex.status(HttpResponseStatus.PRECONDITION_FAILED);
            return;
        }
        List<Resource> changed = new ArrayList<>(List.of(dest, dest.parent()));
        List<Resource> subtrees = new ArrayList<>();
        if (existed) {
            subtrees.add(dest);
        }
        if (move) {
            changed.add(source.parent());
            subtrees.add(source);
        }
        if (!guard.permits(ex, source, changed, subtrees)) {
            return;
        }
        DeadPropertyStore properties = source.share().properties();
        // Both folders held open: every step below names only their members, whatever links change meanwhile.
        try (OpenDirectory from = source.share().parentInside(source, ex.request.uri());
                OpenDirectory to = dest.share().parentInside(dest, destinationHeader)) {
            Path content;
            if (move) {
                content = source.path();
                Replacement.install(source.share().root(), from.resolve(source.name()), to.resolve(dest.name()),
                        content, dest.path());
                guard.locks().removeAtOrBelow(source.key());
            } else {
                content = copyInto(from, source, to, deep, dest);
            }
            if (existed) {
                properties.deleted(dest.path());
                guard.locks().removeAtOrBelow(dest.key());
                events.delete(dest.share().name(), dest.pathInShare());
            }
            if (move) {
                events.delete(source.share().name(), source.pathInShare());
            }
            properties.moved(content, dest.path());
        }
        ex.empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED);
    }

    /**
     * COPY: the whole new file or tree is made in a temporary beside the destination (in the held-open
     * folder {@code to}) and fsynced, and only then replaces it; a failure on the way (a full disk) removes
     * the temporary and leaves the destination as it was. Returns the temporary's path in the share, which
     * the dead-property store knew the copy's properties by.
     */
    private static Path copyInto(OpenDirectory from, Resource source, OpenDirectory to, boolean deep, Resource dest)
            throws IOException {
        DeadPropertyStore properties = source.share().properties();
        String temporaryName = TemporaryNames.beside(dest.path(), TemporaryNames.COPY).getFileName().toString();
        Path temporary = to.resolve(temporaryName);
        Path temporaryInShare = dest.path().resolveSibling(temporaryName);
        try {
            Trees.copy(from, source.name(), to, temporaryName, deep, properties, source.path(), temporaryInShare);
            Fsync.tree(temporary);
            Replacement.install(source.share().root(), temporary, to.resolve(dest.name()), temporaryInShare, dest.path());
        } catch (IOException e) {
            if (Files.exists(temporary, LinkOption.NOFOLLOW_LINKS)) {
                Trees.delete(temporary);
                properties.deleted(temporaryInShare);
            }
            throw e;
        }
        return temporaryInShare;
    }
}
