// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.http.auth.BasicAuthenticator;
import org.layerstore.services.http.webdav.CollectionHandler;
import org.layerstore.services.http.webdav.CopyMoveHandler;
import org.layerstore.services.http.webdav.DeleteHandler;
import org.layerstore.services.http.webdav.LockHandler;
import org.layerstore.services.http.webdav.LockManager;
import org.layerstore.services.http.webdav.PropfindHandler;
import org.layerstore.services.http.webdav.ProppatchHandler;
import org.layerstore.services.http.webdav.WriteGuard;
import org.layerstore.services.telemetry.TelemetryEvents;

/**
 * What the server knows for its whole life, shared by every connection: the shares, the applications
 * beside them, who the users are, the lock table, where events go, and one handler per method family.
 */
final class Routes implements Locator {

    final Map<String, Share> shares;
    /** By the path segment each owns. */
    final Map<String, Application> applications;
    final BasicAuthenticator authenticator;
    final LimitSettings limits;
    final boolean tls;
    final FileBodyWriter bodies;
    final TelemetryEvents events;
    final PutHandler put;
    final ReadHandler read;
    private final MethodHandler propfind;
    private final MethodHandler proppatch;
    private final MethodHandler mkcol;
    private final MethodHandler delete;
    private final MethodHandler copy;
    private final MethodHandler move;
    private final MethodHandler lock;
    private final MethodHandler unlock;

    Routes(Map<String, Share> shares, List<Application> applications, BasicAuthenticator authenticator,
            LimitSettings limits, boolean tls, FileBodyWriter bodies, UploadEngines uploads, LockManager locks,
            TelemetryEvents events) {
        this.shares = Map.copyOf(shares);
        this.applications = applications.stream().collect(Collectors.toUnmodifiableMap(Application::segment,
                Function.identity()));
        this.authenticator = authenticator;
        this.limits = limits;
        this.tls = tls;
        this.bodies = bodies;
        this.events = events;
        WriteGuard guard = new WriteGuard(locks, this);
        this.put = new PutHandler(guard, limits, uploads, events);
        this.read = new ReadHandler(bodies, limits);
        this.propfind = new PropfindHandler(guard.locks(), limits);
        this.proppatch = new ProppatchHandler(guard);
        this.mkcol = new CollectionHandler(guard);
        this.delete = new DeleteHandler(guard, events);
        this.copy = new CopyMoveHandler(guard, this, false, events);
        this.move = new CopyMoveHandler(guard, this, true, events);
        this.lock = new LockHandler(guard, false);
        this.unlock = new LockHandler(guard, true);
    }

    /**
     * The handler of a method whose body is {@link Method.Body#FILE_READ} or {@link Method.Body#COLLECTED};
     * OPTIONS and PUT have none (the dispatcher answers OPTIONS, {@link #put} takes a PUT's body).
     */
    MethodHandler handler(Method method) {
        return switch (method) {
            case GET, HEAD -> read;
            case PROPFIND -> propfind;
            case PROPPATCH -> proppatch;
            case MKCOL -> mkcol;
            case DELETE -> delete;
            case COPY -> copy;
            case MOVE -> move;
            case LOCK -> lock;
            case UNLOCK -> unlock;
            case OPTIONS, PUT -> throw new IllegalArgumentException(method + " has no body handler");
        };
    }

    @Override
    public Resource locate(String reference, String authority) throws PathRefusedException {
        String path = reference.trim();
        int scheme = path.indexOf("://");
        if (scheme >= 0) {
            int slash = path.indexOf('/', scheme + 3);
            String named = slash < 0 ? path.substring(scheme + 3) : path.substring(scheme + 3, slash);
            if (!Authority.same(path.substring(0, scheme), named, authority)) {
                return null; // another server's resource (RFC 4918 9.8.5, 9.9.4: COPY and MOVE answer 502)
            }
            path = slash < 0 ? "/" : path.substring(slash);
        }
        RequestPath parsed = RequestPath.parse(path);
        if (parsed.isRoot()) {
            return null;
        }
        Share share = shares.get(parsed.segments().getFirst());
        if (share == null) {
            return null;
        }
        return share.locate(parsed.segments().subList(1, parsed.segments().size()), reference);
    }
}
