// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;

import io.netty.buffer.ByteBuf;

/** Where a streamed request body goes, piece by piece, until it ends or the connection drops. */
interface BodySink {

    void content(ByteBuf piece) throws IOException;

    /**
     * Offered once the request's headers are handled: whether the sink takes the rest of the body straight
     * from the connection's socket. True: it has taken the connection's input over (Netty stops reading; the
     * pieces Netty had read already still come through {@link #content}, and the body's end comes as a
     * {@code LastHttpContent}, see {@link SocketBodyReceiver}). False (the default): feed it every piece.
     */
    default boolean takeSocket() {
        return false;
    }

    /** The body is complete: finish the work and send the response. */
    void end() throws IOException;

    /** The body will never complete: undo everything, leave no debris. */
    void abort();
}
