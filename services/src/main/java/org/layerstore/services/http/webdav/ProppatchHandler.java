// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.layerstore.hal.libc.PathDescriptor;
import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * PROPPATCH: sets and removes dead properties in document order, all or nothing (RFC 4918 section
 * 9.2). Live properties are protected (403, the others then 424); a store that cannot hold the
 * result answers 507 for every property and changes nothing.
 */
public final class ProppatchHandler implements MethodHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProppatchHandler.class);

    private record Update(PropertyName name, String valueXml) {
    }

    private final WriteGuard guard;

    public ProppatchHandler(WriteGuard guard) {
        this.guard = guard;
    }

    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        List<Update> updates = new ArrayList<>();
        try {
            Element root = XmlBodies.parse(body);
            if (root == null || !XmlBodies.isDav(root, "propertyupdate")) {
                ex.text(HttpResponseStatus.BAD_REQUEST, "PROPPATCH body must be a DAV:propertyupdate element\n");
                return;
            }
            for (Node op = root.getFirstChild(); op != null; op = op.getNextSibling()) {
                boolean set = XmlBodies.isDav(op, "set");
                if (!set && !XmlBodies.isDav(op, "remove")) {
                    continue;
                }
                Element prop = XmlBodies.davChild((Element) op, "prop");
                if (prop == null) {
                    ex.text(HttpResponseStatus.BAD_REQUEST, "set and remove need a DAV:prop element\n");
                    return;
                }
                for (Node n = prop.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e) {
                        updates.add(new Update(PropertyName.of(e), set ? XmlText.fragment(e) : null));
                    }
                }
            }
        } catch (XmlBodies.MalformedException e) {
            ex.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        // Opened inside the share (404, or 403 for a link that leads out), and its properties kept on that
        // very file: a link swapped meanwhile cannot move the change to a file outside.
        try (PathDescriptor opened = resource.share().pathInside(resource, ex.request.uri())) {
            patch(ex, resource, opened.procPath(), updates);
        }
    }

    private void patch(Exchange ex, Resource resource, Path opened, List<Update> updates) throws IOException {
        if (!guard.permits(ex, resource, List.of(resource), List.of())) {
            return;
        }
        boolean refused = updates.stream().anyMatch(u -> LiveProperties.isLive(u.name()));
        HttpResponseStatus outcome = HttpResponseStatus.OK;
        if (!refused) {
            Map<PropertyName, String> props = new LinkedHashMap<>(resource.share().properties().read(resource.path(), opened));
            for (Update u : updates) {
                if (u.valueXml() == null) {
                    props.remove(u.name());
                } else {
                    props.put(u.name(), u.valueXml());
                }
            }
            try {
                resource.share().properties().write(resource.path(), opened, props);
            } catch (DeadPropertyStore.StoreFullException e) {
                LOG.warn("PROPPATCH {}: {}", resource.key(), e.getMessage());
                outcome = DavResponses.INSUFFICIENT_STORAGE;
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("<D:response><D:href>").append(XmlText.escape(resource.href())).append("</D:href>");
        for (Update u : updates) {
            HttpResponseStatus status = refused
                    ? (LiveProperties.isLive(u.name()) ? HttpResponseStatus.FORBIDDEN : DavResponses.FAILED_DEPENDENCY)
                    : outcome;
            PropfindHandler.propstat(out, u.name().emptyElement(), status);
        }
        out.append("</D:response>");
        DavResponses.multistatus(ex, out);
    }
}
