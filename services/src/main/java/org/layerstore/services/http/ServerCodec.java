// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.ArrayDeque;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The connection's HTTP/1.1 codec: Netty's request decoder and response encoder, as Netty's
 * {@code HttpServerCodec} (4.2) pairs them (each final response learns its request's method, so the
 * response to a HEAD carries no body, RFC 9110 section 9.3.2; at most {@value #MAX_PIPELINE_DEPTH}
 * requests ahead of their answers), plus one message of its own: a {@link FileResponseHead},
 * a file response's status line and headers already encoded, which goes to the socket as it is, and the
 * body parts after it up to the {@link LastHttpContent} pass through unchanged (no chunking: the head
 * has a Content-Length). Every other response is Netty's encoder's.
 */
final class ServerCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

    /**
     * Requests read ahead of their answers (pipelining, RFC 9112 section 9.3.2) past which the connection
     * reads nothing more and closes after its next response: Netty's {@code HttpServerCodec}'s default.
     */
    static final int MAX_PIPELINE_DEPTH = 128;

    /** The methods of the requests not answered yet, oldest first. */
    private final ArrayDeque<HttpMethod> unanswered = new ArrayDeque<>(4);
    /**
     * A request had both Transfer-Encoding: chunked and a Content-Length: the connection closes after the
     * response (RFC 9112 section 6.3, item 3: the framing is suspect).
     */
    private boolean closeAfterResponse;

    ServerCodec(HttpDecoderConfig config) {
        init(new RequestDecoder(config), new ResponseEncoder());
    }

    private HttpMethod answering() {
        HttpMethod method = unanswered.poll();
        return method == null ? HttpMethod.GET : method;
    }

    private final class RequestDecoder extends HttpRequestDecoder {

        /** Past {@link #MAX_PIPELINE_DEPTH}: every byte that arrives is dropped. */
        private boolean discarding;

        RequestDecoder(HttpDecoderConfig config) {
            super(config);
        }

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out) throws Exception {
            if (discarding) {
                buffer.skipBytes(buffer.readableBytes());
                return;
            }
            int before = out.size();
            super.decode(ctx, buffer, out);
            for (int i = before; i < out.size(); i++) {
                if (!(out.get(i) instanceof HttpRequest request)) {
                    continue;
                }
                if (unanswered.size() >= MAX_PIPELINE_DEPTH) {
                    closeAfterResponse = true;
                    discarding = true;
                    // As Netty's codec does: nothing of this read goes on (the dispatcher closes on the error).
                    for (Object decoded : out) {
                        ReferenceCountUtil.release(decoded);
                    }
                    out.clear();
                    throw new IllegalStateException("maxPipelineDepth exceeded: " + MAX_PIPELINE_DEPTH);
                }
                unanswered.add(request.method());
            }
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            closeAfterResponse = true;
        }
    }

    private final class ResponseEncoder extends HttpResponseEncoder {

        private HttpMethod method;
        /** Between a {@link FileResponseHead} and its body's {@link LastHttpContent}. */
        private boolean preEncoded;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (closeAfterResponse && msg instanceof LastHttpContent) {
                closeAfterResponse = false;
                promise = promise.unvoid().addListener(ChannelFutureListener.CLOSE);
            }
            if (msg instanceof FileResponseHead head) {
                if (preEncoded) {
                    head.release();
                    throw new EncoderException(new IllegalStateException("a response head inside a body"));
                }
                answering();
                preEncoded = true;
                ctx.write(head.content(), promise);
            } else if (preEncoded) {
                writeBodyPart(ctx, msg, promise);
            } else {
                super.write(ctx, msg, promise);
            }
        }

        /** What Netty's encoder writes for a body part of a response with a Content-Length. */
        private void writeBodyPart(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpMessage) {
                ReferenceCountUtil.release(msg);
                throw new EncoderException(new IllegalStateException("a response head inside a body: " + msg));
            }
            if (msg instanceof HttpContent content) {
                if (content instanceof LastHttpContent) {
                    preEncoded = false;
                }
                ctx.write(content.content(), promise);
            } else if (msg instanceof FileRegion region && region.count() == 0) {
                region.release();
                ctx.write(Unpooled.EMPTY_BUFFER, promise);
            } else {
                ctx.write(msg, promise);
            }
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
                return super.isContentAlwaysEmpty(msg); // a 100 Continue is not its request's answer yet
            }
            method = answering();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }

        @Override
        protected void sanitizeHeadersBeforeEncode(HttpResponse msg, boolean isAlwaysEmpty) {
            // A 2xx to CONNECT switches to a tunnel, which has no framing of its own (RFC 9110 section 9.3.6).
            if (!isAlwaysEmpty && HttpMethod.CONNECT.equals(method) && msg.status().codeClass() == HttpStatusClass.SUCCESS) {
                msg.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
                return;
            }
            super.sanitizeHeadersBeforeEncode(msg, isAlwaysEmpty);
        }
    }
}
