// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.nio.charset.StandardCharsets;

import org.layerstore.services.http.Exchange;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Status codes WebDAV adds, and the small XML bodies that go with errors and multistatus responses. */
public final class DavResponses {

    public static final HttpResponseStatus MULTI_STATUS = HttpResponseStatus.MULTI_STATUS;
    public static final HttpResponseStatus LOCKED = HttpResponseStatus.valueOf(423, "Locked");
    public static final HttpResponseStatus FAILED_DEPENDENCY = HttpResponseStatus.valueOf(424, "Failed Dependency");
    public static final HttpResponseStatus INSUFFICIENT_STORAGE = HttpResponseStatus.valueOf(507, "Insufficient Storage");

    static final String XML_HEAD = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
    static final String XML_TYPE = "application/xml; charset=utf-8";

    private DavResponses() {
    }

    /** A DAV:error body naming the precondition that failed (RFC 4918 section 16). */
    public static void error(Exchange ex, HttpResponseStatus status, String conditionXml) {
        ex.xml(status, (XML_HEAD + "<D:error xmlns:D=\"DAV:\">" + conditionXml + "</D:error>\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    /** 423 naming the lock root whose token was not submitted. */
    public static void locked(Exchange ex, String lockRootHref) {
        error(ex, LOCKED, "<D:lock-token-submitted><D:href>" + XmlText.escape(lockRootHref)
                + "</D:href></D:lock-token-submitted>");
    }

    public static String statusLine(HttpResponseStatus status) {
        return "HTTP/1.1 " + status.code() + " " + status.reasonPhrase();
    }

    public static void multistatus(Exchange ex, StringBuilder responses) {
        ex.xml(MULTI_STATUS, (XML_HEAD + "<D:multistatus xmlns:D=\"DAV:\">" + responses + "</D:multistatus>\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
