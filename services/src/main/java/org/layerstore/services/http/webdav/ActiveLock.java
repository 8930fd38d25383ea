// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

/**
 * A WebDAV write lock (RFC 4918 section 6).
 *
 * @param token          the lock token URI ({@code urn:uuid:...})
 * @param rootKey        the locked resource's key (share and path, no trailing slash)
 * @param rootHref       the locked resource's URL path, for lockdiscovery's lockroot
 * @param exclusive      exclusive or shared
 * @param infinite       depth infinity (covers every member of a collection) or 0
 * @param ownerXml       the client's DAV:owner element as sent, or empty
 * @param timeoutSeconds the granted timeout
 * @param expiresAtMillis when it lapses unless refreshed
 */
public record ActiveLock(String token, String rootKey, String rootHref, boolean exclusive, boolean infinite,
        String ownerXml, long timeoutSeconds, long expiresAtMillis) {

    /** Whether this lock covers the resource {@code key}: its root, or a member when the depth is infinite. */
    public boolean covers(String key) {
        return rootKey.equals(key) || infinite && key.startsWith(rootKey + "/");
    }

    /** Whether the lock's root lies at or below {@code key}. */
    public boolean isAtOrBelow(String key) {
        return rootKey.equals(key) || rootKey.startsWith(key + "/");
    }

    ActiveLock refreshed(long seconds, long nowMillis) {
        return new ActiveLock(token, rootKey, rootHref, exclusive, infinite, ownerXml, seconds, nowMillis + seconds * 1000);
    }

    /** The DAV:activelock element for lockdiscovery and LOCK responses. */
    public String toXml(long nowMillis) {
        return "<D:activelock><D:locktype><D:write/></D:locktype><D:lockscope>"
                + (exclusive ? "<D:exclusive/>" : "<D:shared/>") + "</D:lockscope><D:depth>"
                + (infinite ? "infinity" : "0") + "</D:depth>" + ownerXml + "<D:timeout>Second-"
                + Math.max(0, (expiresAtMillis - nowMillis) / 1000) + "</D:timeout><D:locktoken><D:href>"
                + XmlText.escape(token) + "</D:href></D:locktoken><D:lockroot><D:href>" + XmlText.escape(rootHref)
                + "</D:href></D:lockroot></D:activelock>";
    }
}
