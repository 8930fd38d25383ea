package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.Locator;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * COPY and MOVE within one share (RFC 4918 sections 9.8, 9.9): Destination names the target, Overwrite
 * (default T) says whether an existing one may be replaced (else 412), Depth 0 copies a folder without
 * its members. A MOVE is one rename(2), so dead properties travel with it; locks do not.
 */
public final class CopyMoveHandler implements MethodHandler {

    private final WriteGuard guard;
    private final Locator locator;
    private final boolean move;

    public CopyMoveHandler(WriteGuard guard, Locator locator, boolean move) {
        this.guard = guard;
        this.locator = locator;
        this.move = move;
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
        boolean existed = Files.exists(dest.path(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
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
        // Both folders held open: every step below names only their members, whatever links change meanwhile.
        try (OpenDirectory from = source.share().parentInside(source, ex.request.uri());
                OpenDirectory to = dest.share().parentInside(dest, destinationHeader)) {
            if (existed) {
                Trees.delete(to.resolve(dest.name()));
                dest.share().properties().deleted(dest.path());
                guard.locks().removeAtOrBelow(dest.key());
            }
            if (move) {
                Files.move(from.resolve(source.name()), to.resolve(dest.name()), StandardCopyOption.ATOMIC_MOVE);
                source.share().properties().moved(source.path(), dest.path());
                guard.locks().removeAtOrBelow(source.key());
            } else {
                Trees.copy(from, source.name(), to, dest.name(), deep, source.share().properties(), source.path(), dest.path());
            }
        }
        ex.empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED);
    }
}
