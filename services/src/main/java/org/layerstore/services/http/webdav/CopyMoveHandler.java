package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.Locator;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;
import org.layerstore.services.telemetry.TelemetryEvents;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * COPY and MOVE within one share (RFC 4918 sections 9.8, 9.9): Destination names the target, Overwrite
 * (default T) says whether an existing one may be replaced (else 412), Depth 0 copies a folder without
 * its members. A MOVE is one rename(2), so dead properties travel with it; locks do not. The source of a
 * MOVE and a destination replaced are gone from where they were: each raises the {@code delete} event.
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
        Resource dest = locator.locate(destinationHeader);
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
        if (existed) {
            Trees.delete(dest.path());
            dest.share().properties().deleted(dest.path());
            guard.locks().removeAtOrBelow(dest.key());
            events.delete(dest.share().name(), dest.pathInShare());
        }
        if (move) {
            Files.move(source.path(), dest.path(), StandardCopyOption.ATOMIC_MOVE);
            source.share().properties().moved(source.path(), dest.path());
            guard.locks().removeAtOrBelow(source.key());
            events.delete(source.share().name(), source.pathInShare());
        } else {
            Trees.copy(source.path(), dest.path(), deep, source.share().properties());
        }
        ex.empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED);
    }
}
