// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.util.List;
import java.util.Set;

import org.layerstore.services.http.Exchange;
import org.layerstore.services.http.FileState;
import org.layerstore.services.http.Locator;
import org.layerstore.services.http.PathRefusedException;
import org.layerstore.services.http.Resource;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * The check every write passes before it touches a file: the If header must hold (else 412), and
 * every lock on what the write changes must have its token submitted in that header (else 423).
 */
public final class WriteGuard {

    private final LockManager locks;
    private final Locator locator;

    public WriteGuard(LockManager locks, Locator locator) {
        this.locks = locks;
        this.locator = locator;
    }

    public LockManager locks() {
        return locks;
    }

    /**
     * Whether the write may go ahead; when not, the response (400, 412 or 423) has been sent.
     *
     * @param target   the request URI's resource, what untagged If lists are about
     * @param changed  resources whose own locks (and inherited depth-infinity locks) must be submitted
     * @param subtrees resources that are deleted or moved away whole: every lock at or below them counts
     */
    public boolean permits(Exchange ex, Resource target, List<Resource> changed, List<Resource> subtrees)
            throws IOException {
        Set<String> submitted = Set.of();
        String header = ex.header("If");
        if (header != null) {
            IfHeader parsed;
            try {
                parsed = IfHeader.parse(header);
            } catch (IfHeader.MalformedException e) {
                ex.text(HttpResponseStatus.BAD_REQUEST, e.getMessage() + "\n");
                return false;
            }
            if (!parsed.evaluate(new StateOf(target, ex.header("Host")))) {
                ex.status(HttpResponseStatus.PRECONDITION_FAILED);
                return false;
            }
            submitted = parsed.submittedTokens();
        }
        for (Resource r : changed) {
            for (ActiveLock l : locks.covering(r.key())) {
                if (!submitted.contains(l.token())) {
                    DavResponses.locked(ex, l.rootHref());
                    return false;
                }
            }
        }
        for (Resource r : subtrees) {
            for (ActiveLock l : locks.atOrBelow(r.key())) {
                if (!submitted.contains(l.token())) {
                    DavResponses.locked(ex, l.rootHref());
                    return false;
                }
            }
        }
        return true;
    }

    /** The If header's view of the resources it names: their ETags and the locks covering them. */
    private final class StateOf implements IfHeader.State {
        private final Resource target;
        private final String authority;

        StateOf(Resource target, String authority) {
            this.target = target;
            this.authority = authority;
        }

        private Resource resolve(String tag) {
            if (tag == null) {
                return target;
            }
            try {
                return locator.locate(tag, authority);
            } catch (PathRefusedException e) {
                return null;
            }
        }

        @Override
        public String etag(String tag) {
            Resource r = resolve(tag);
            if (r == null || !r.exists()) {
                return null;
            }
            try {
                return FileState.of(r.path()).etag();
            } catch (IOException e) {
                return null;
            }
        }

        @Override
        public boolean locked(String tag, String token) {
            Resource r = resolve(tag);
            ActiveLock l = locks.get(token);
            return r != null && l != null && l.covers(r.key());
        }
    }
}
