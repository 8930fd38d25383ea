// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.List;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Hands a connection over from HTTP to another protocol once its upgrade request is accepted (RFC 9110
 * section 7.8): the HTTP handlers leave the pipeline and {@code protocol} takes the bytes from there on.
 * What stays is the transport (TLS, or the offload body driver), the idle timeout (its events go to
 * {@code protocol}) and the connection statistics. The request timeout leaves too: under the new protocol
 * bytes are no request headers.
 */
public final class ProtocolHandover {

    /** The HTTP handlers, the codec last so that bytes it holds already go on to the new protocol as they are. */
    private static final List<Class<? extends ChannelHandler>> HTTP_HANDLERS = List.of(RequestTimeoutGuard.class,
            ChunkedWriteHandler.class, RequestDispatcher.class, ServerCodec.class);

    private ProtocolHandover() {
    }

    /**
     * Logs the request as switched (101) and, on the connection's event loop, puts {@code protocol} in the
     * HTTP handlers' place. {@code protocol} then writes whatever answers the upgrade itself. The end of the
     * upgrade request may still reach it as an {@code HttpContent}: it drops it.
     */
    public static void handOver(Exchange ex, ChannelHandler protocol) {
        ex.keepAlive(true); // the connection lives on under the new protocol
        ex.finish(ex.ctx.newSucceededFuture(), HttpResponseStatus.SWITCHING_PROTOCOLS, 0);
        Channel channel = ex.ctx.channel();
        channel.eventLoop().execute(() -> {
            ChannelPipeline p = channel.pipeline();
            p.addLast(protocol);
            for (Class<? extends ChannelHandler> http : HTTP_HANDLERS) {
                if (p.get(http) != null) {
                    p.remove(http);
                }
            }
        });
    }
}
