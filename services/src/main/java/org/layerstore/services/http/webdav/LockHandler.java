// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.MethodHandler;
import org.layerstore.services.http.OpenDirectory;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;
import org.w3c.dom.Element;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * LOCK and UNLOCK (RFC 4918 sections 9.10, 9.11): exclusive and shared write locks of depth 0 or
 * infinity, refreshed by a LOCK without body whose If header names the token. Locking an unmapped URL
 * creates an empty file (201).
 */
public final class LockHandler implements MethodHandler {

    private final WriteGuard guard;
    private final boolean unlock;

    public LockHandler(WriteGuard guard, boolean unlock) {
        this.guard = guard;
        this.unlock = unlock;
    }

    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        if (unlock) {
            unlock(ex, resource);
            return;
        }
        LockManager locks = guard.locks();
        long timeout = LockManager.timeout(ex.header("Timeout"));
        Element info;
        try {
            info = XmlBodies.parse(body);
        } catch (XmlBodies.MalformedException e) {
            ex.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        if (info == null) {
            refresh(ex, resource, timeout);
            return;
        }
        if (!XmlBodies.isDav(info, "lockinfo")) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "LOCK body must be a DAV:lockinfo element\n");
            return;
        }
        Element scope = XmlBodies.davChild(info, "lockscope");
        Element type = XmlBodies.davChild(info, "locktype");
        if (scope == null || type == null || XmlBodies.davChild(type, "write") == null) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "lockinfo needs lockscope and a write locktype\n");
            return;
        }
        boolean exclusive = XmlBodies.davChild(scope, "exclusive") != null;
        if (!exclusive && XmlBodies.davChild(scope, "shared") == null) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "lockscope must be exclusive or shared\n");
            return;
        }
        Element owner = XmlBodies.davChild(info, "owner");
        String ownerXml = owner == null ? "" : XmlText.fragment(owner);
        String depth = ex.header("Depth") == null ? "infinity" : ex.header("Depth").trim();
        if (!depth.equals("0") && !depth.equalsIgnoreCase("infinity")) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "LOCK Depth must be 0 or infinity\n");
            return;
        }
        boolean create = !resource.exists();
        if (create && !resource.parent().isDirectory()) {
            ex.status(HttpResponseStatus.CONFLICT);
            return;
        }
        if (!guard.permits(ex, resource, create ? List.of(resource.parent()) : List.of(), List.of())) {
            return;
        }
        ActiveLock lock = locks.lock(resource.key(), resource.href(resource.isDirectory()), exclusive,
                depth.equalsIgnoreCase("infinity"), ownerXml, timeout);
        if (lock == null) {
            DavResponses.error(ex, DavResponses.LOCKED, "<D:no-conflicting-lock/>");
            return;
        }
        if (create) {
            try {
                try (OpenDirectory parent = resource.share().parentInside(resource, ex.request.uri())) {
                    Files.createFile(parent.resolve(resource.name())); // O_EXCL: never through a link
                }
            } catch (IOException e) {
                locks.unlock(lock.token());
                throw e;
            }
        }
        ex.extraHeader("Lock-Token", "<" + lock.token() + ">");
        respond(ex, create ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, lock);
    }

    private void refresh(Exchange ex, Resource resource, long timeout) {
        String header = ex.header("If");
        if (header == null) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "a LOCK refresh needs an If header with the lock token\n");
            return;
        }
        try {
            for (String token : IfHeader.parse(header).submittedTokens()) {
                ActiveLock held = guard.locks().get(token);
                if (held != null && held.covers(resource.key())) {
                    respond(ex, HttpResponseStatus.OK, guard.locks().refresh(token, timeout));
                    return;
                }
            }
        } catch (IfHeader.MalformedException e) {
            ex.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
            return;
        }
        ex.status(HttpResponseStatus.PRECONDITION_FAILED);
    }

    private void respond(Exchange ex, HttpResponseStatus status, ActiveLock lock) {
        String xml = DavResponses.XML_HEAD + "<D:prop xmlns:D=\"DAV:\"><D:lockdiscovery>"
                + lock.toXml(guard.locks().now()) + "</D:lockdiscovery></D:prop>\n";
        ex.xml(status, xml.getBytes(StandardCharsets.UTF_8));
    }

    private void unlock(Exchange ex, Resource resource) {
        String header = ex.header("Lock-Token");
        if (header == null || !header.trim().startsWith("<") || !header.trim().endsWith(">")) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "UNLOCK needs a Lock-Token header: <token>\n");
            return;
        }
        String token = header.trim().substring(1, header.trim().length() - 1);
        ActiveLock held = guard.locks().get(token);
        if (held == null || !held.covers(resource.key())) {
            DavResponses.error(ex, HttpResponseStatus.CONFLICT, "<D:lock-token-matches-request-uri/>");
            return;
        }
        guard.locks().unlock(token);
        ex.empty(HttpResponseStatus.NO_CONTENT);
    }
}
