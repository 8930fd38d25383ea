// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.netty.handler.codec.http.HttpMethod;

/**
 * The request methods the server answers, in one table: routing, the {@code Allow} header of a 405 or an
 * OPTIONS answer, and the read/write access check all read it, so a method is added or removed here only.
 * Method names are case-sensitive (RFC 9110 section 9.1): {@code get} is not GET.
 */
enum Method {

    /** RFC 9110 section 9.3.7: the dispatcher answers it itself, with what the server allows. */
    OPTIONS(true, Body.NONE),
    GET(true, Body.FILE_READ),
    HEAD(true, Body.FILE_READ),
    PUT(false, Body.UPLOAD),
    DELETE(false, Body.COLLECTED),
    PROPFIND(true, Body.COLLECTED),
    PROPPATCH(false, Body.COLLECTED),
    MKCOL(false, Body.COLLECTED),
    COPY(false, Body.COLLECTED),
    MOVE(false, Body.COLLECTED),
    LOCK(false, Body.COLLECTED),
    UNLOCK(false, Body.COLLECTED);

    /** How a method's request body reaches its handler. */
    enum Body {
        /** No handler: the dispatcher answers at the head. */
        NONE,
        /** GET and HEAD: no body; the file may be opened and answered on the event loop (see RequestDispatcher). */
        FILE_READ,
        /** Streamed into an upload, piece by piece, never held in memory. */
        UPLOAD,
        /** Collected, bounded by {@code limits.maxXmlBodyBytes}, then handed over whole. */
        COLLECTED
    }

    /** Every method, for a 405 and for OPTIONS. */
    static final String ALLOW = allow(m -> true);
    /** The methods that only read: all that the root (the list of shares) answers. */
    static final String ALLOW_READS = allow(Method::reads);

    private static final Map<String, Method> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Method::name, Function.identity()));

    private final boolean reads;
    private final Body body;

    Method(boolean reads, Body body) {
        this.reads = reads;
        this.body = body;
    }

    /** The method of a request, or null for one the server does not know (answered 405). */
    static Method of(HttpMethod method) {
        return BY_NAME.get(method.name());
    }

    /** Whether the method only reads: anonymous read and read-only access suffice. */
    boolean reads() {
        return reads;
    }

    Body body() {
        return body;
    }

    private static String allow(Predicate<Method> which) {
        return Arrays.stream(values()).filter(which).map(Method::name).collect(Collectors.joining(", "));
    }
}
