// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A request head that Netty's decoder accepted but HTTP/1.1 does not (RFC 9112): set as the request's
 * decoder failure, so the dispatcher answers it like any undecodable request, with its status, and closes
 * the connection, whose framing can no longer be trusted.
 */
final class MalformedRequestException extends DecoderException {

    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    MalformedRequestException(HttpResponseStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpResponseStatus status() {
        return status;
    }
}
