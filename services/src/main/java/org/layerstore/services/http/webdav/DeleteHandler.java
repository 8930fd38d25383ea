// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;
import org.layerstore.services.telemetry.TelemetryEvents;

import io.netty.handler.codec.http.HttpResponseStatus;

/** DELETE of a file, or of a folder with everything in it (Depth infinity, the only depth allowed). */
public final class DeleteHandler implements MethodHandler {

    private final WriteGuard guard;
    private final TelemetryEvents events;

    public DeleteHandler(WriteGuard guard, TelemetryEvents events) {
        this.guard = guard;
        this.events = events;
    }

    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        if (resource.isShareRoot()) {
            ex.status(HttpResponseStatus.FORBIDDEN);
            return;
        }
        if (!resource.exists()) {
            throw PathRefusedException.notFound(ex.request.uri());
        }
        String depth = ex.header("Depth");
        if (resource.isDirectory() && depth != null && !depth.trim().equalsIgnoreCase("infinity")) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "DELETE of a collection needs Depth: infinity\n");
            return;
        }
        if (!guard.permits(ex, resource, List.of(resource.parent()), List.of(resource))) {
            return;
        }
        try (OpenDirectory parent = resource.share().parentInside(resource, ex.request.uri())) {
            Trees.delete(parent.resolve(resource.name()));
        }
        resource.share().properties().deleted(resource.path());
        guard.locks().removeAtOrBelow(resource.key());
        events.delete(resource.share().name(), resource.pathInShare());
        ex.empty(HttpResponseStatus.NO_CONTENT);
    }
}
