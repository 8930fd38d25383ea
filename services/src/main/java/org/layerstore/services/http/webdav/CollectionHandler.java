// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;

import io.netty.handler.codec.http.HttpResponseStatus;

/** MKCOL: creates one folder; its parent must exist (409), it must not (405), a body is refused (415). */
public final class CollectionHandler implements MethodHandler {

    private final WriteGuard guard;

    public CollectionHandler(WriteGuard guard) {
        this.guard = guard;
    }

    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        if (body.length > 0) {
            ex.status(HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE);
            return;
        }
        if (resource.exists() || resource.isShareRoot()) {
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            return;
        }
        if (!resource.parent().isDirectory()) {
            ex.status(HttpResponseStatus.CONFLICT);
            return;
        }
        if (!guard.permits(ex, resource, List.of(resource, resource.parent()), List.of())) {
            return;
        }
        try (OpenDirectory parent = resource.share().parentInside(resource, ex.request.uri())) {
            Files.createDirectory(parent.resolve(resource.name())); // mkdir(2) never follows its last component
        }
        ex.empty(HttpResponseStatus.CREATED);
    }
}
