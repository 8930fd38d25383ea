package org.layerstore.services.http;

import java.io.IOException;

import io.netty.buffer.ByteBuf;

/** Where a streamed request body goes, piece by piece, until it ends or the connection drops. */
interface BodySink {

    void content(ByteBuf piece) throws IOException;

    /** The body is complete: finish the work and send the response. */
    void end() throws IOException;

    /** The body will never complete: undo everything, leave no debris. */
    void abort();
}
