// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** The Connection header of a response, as the request's HTTP version needs it. */
public final class KeepAlive {

    private KeepAlive() {
    }

    /**
     * Says whether the connection stays open after {@code response}. An HTTP/1.1 client assumes it does
     * unless told {@code close}; an HTTP/1.0 client keeps it only when the response says
     * {@code keep-alive} (RFC 9112 9.3, RFC 2068 19.7.1), else ab -k and some proxies wait for a close
     * that never comes.
     */
    public static void mark(HttpRequest request, HttpResponse response, boolean keepAlive) {
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive && request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}
