// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.http.ranges.ByteRange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * The pre-encoded head of a file response against what Netty's encoder wrote for the same response, built
 * as the server built it before, byte for byte; and the codec that carries it, with pipelined requests
 * whose responses go through both encoders.
 */
class FileResponseHeadTest {

    private static final String GET = "GET /s/f.bin HTTP/1.1\r\nHost: appliance\r\n\r\n";
    private static final Pattern DATE = Pattern.compile("\r\ndate: [^\r]{29}\r\n\r\n$");
    private static final FileState SMALL = state(4096, Instant.parse("2026-12-04T03:04:05.123456789Z"));

    @TempDir
    Path dir;

    @Test
    void aWholeFileKeptAliveIsWhatNettyWrites() {
        assertSameAsNetty(GET, HttpResponseStatus.OK, SMALL, "application/octet-stream", null, true);
    }

    @Test
    void aWholeFileThatClosesTheConnectionIsWhatNettyWrites() {
        assertSameAsNetty("GET /s/f.bin HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", HttpResponseStatus.OK, SMALL,
                "text/plain", null, false);
    }

    @Test
    void http10KeepAliveAndCloseAreWhatNettyWrites() {
        assertSameAsNetty("GET /s/f.bin HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", HttpResponseStatus.OK, SMALL,
                "image/png", null, true);
        assertSameAsNetty("GET /s/f.bin HTTP/1.0\r\n\r\n", HttpResponseStatus.OK, SMALL, "image/png", null, false);
    }

    @Test
    void headOfAFileIsWhatNettyWrites() {
        assertSameAsNetty("HEAD /s/f.bin HTTP/1.1\r\nHost: a\r\n\r\n", HttpResponseStatus.OK, SMALL,
                "application/octet-stream", null, true);
    }

    @Test
    void oneRangeIsWhatNettyWrites() {
        assertSameAsNetty(GET, HttpResponseStatus.PARTIAL_CONTENT, SMALL, "text/html", new ByteRange(100, 199), true);
        assertSameAsNetty(GET, HttpResponseStatus.PARTIAL_CONTENT, SMALL, "text/html", new ByteRange(0, 0), true);
    }

    @Test
    void emptyAndHugeFilesAndFarDatesAreWhatNettyWrites() {
        assertSameAsNetty(GET, HttpResponseStatus.OK, state(0, Instant.EPOCH), "application/octet-stream", null, true);
        FileState huge = state(5L << 40, Instant.parse("9999-12-31T23:59:59Z"));
        assertSameAsNetty(GET, HttpResponseStatus.PARTIAL_CONTENT, huge, "application/octet-stream",
                new ByteRange((5L << 40) - 10, (5L << 40) - 1), true);
        assertSameAsNetty(GET, HttpResponseStatus.OK, state(Long.MAX_VALUE, Instant.parse("1969-07-20T20:17:40Z")),
                "application/octet-stream", null, false);
    }

    @Test
    void notModifiedIsWhatNettyWrites() {
        String conditional = "GET /s/f.bin HTTP/1.1\r\nHost: a\r\nIf-None-Match: " + SMALL.etag() + "\r\n\r\n";
        assertSameWithinASecond(() -> {
            Served netty = new Served(new HttpServerCodec(), conditional);
            netty.withValidators(SMALL);
            netty.ex.empty(HttpResponseStatus.NOT_MODIFIED);
            Served ours = new Served(new ServerCodec(new HttpDecoderConfig()), conditional);
            ours.channel.writeOutbound(FileResponseHead.notModified(ours.ex, SMALL));
            String expected = netty.written();
            assertTrue(expected.startsWith("HTTP/1.1 304 Not Modified\r\netag: "), expected);
            return new String[] {expected, ours.written()};
        });
    }

    @Test
    void pipelinedResponsesThroughBothEncodersKeepTheirOwnRequestsMethod() throws Exception {
        Path file = Files.writeString(dir.resolve("f.bin"), "0123456789");
        Served served = new Served(new ServerCodec(new HttpDecoderConfig()),
                "HEAD /s/a HTTP/1.1\r\nHost: a\r\n\r\nGET /s/b HTTP/1.1\r\nHost: a\r\n\r\nHEAD /s/c HTTP/1.1\r\nHost: a\r\n\r\n"
                        + "GET /s/d HTTP/1.1\r\nHost: a\r\n\r\n");
        served.channel.writeOutbound(FileResponseHead.file(served.ex, SMALL, "text/plain", 4096, null),
                LastHttpContent.EMPTY_LAST_CONTENT);
        String head = served.written();
        assertTrue(head.startsWith("HTTP/1.1 200 OK\r\ncontent-length: 4096\r\n") && head.endsWith("\r\n\r\n"), head);

        served.channel.writeOutbound(page("listing"));
        assertTrue(served.written().endsWith("\r\n\r\nlisting"), "the GET after a pre-encoded HEAD keeps its body");

        served.channel.writeOutbound(page("dropped"));
        String third = served.written();
        assertTrue(third.contains("content-length: 7") && third.endsWith("\r\n\r\n"), "a HEAD answered by Netty: " + third);

        served.channel.writeOutbound(FileResponseHead.file(served.ex, state(14, Instant.EPOCH), "text/plain", 14, null),
                Unpooled.copiedBuffer("abc", StandardCharsets.US_ASCII), new DefaultFileRegion(file.toFile(), 0, 10),
                new DefaultFileRegion(file.toFile(), 0, 0), new DefaultLastHttpContent(Unpooled.copiedBuffer("z",
                        StandardCharsets.US_ASCII)));
        StringBuilder fourth = new StringBuilder();
        for (Object out; (out = served.channel.readOutbound()) != null;) {
            if (out instanceof DefaultFileRegion region) {
                fourth.append("[region ").append(region.count()).append(']');
            } else {
                fourth.append(((ByteBuf) out).toString(StandardCharsets.US_ASCII));
            }
            ReferenceCountUtil.release(out);
        }
        assertTrue(fourth.toString().endsWith("\r\n\r\nabc[region 10]z"), fourth.toString());
        assertFalse(served.channel.finish(), "nothing left over");
    }

    @Test
    void aContinueIsNotItsRequestsAnswer() {
        Served served = new Served(new ServerCodec(new HttpDecoderConfig()),
                "HEAD /s/a HTTP/1.1\r\nHost: a\r\n\r\nGET /s/b HTTP/1.1\r\nHost: a\r\n\r\n");
        served.channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", served.written());
        served.channel.writeOutbound(page("dropped"));
        assertTrue(served.written().endsWith("content-length: 7\r\n\r\n"), "the HEAD's answer has no body");
        served.channel.writeOutbound(page("kept"));
        assertTrue(served.written().endsWith("\r\n\r\nkept"), "the GET's has");
    }

    @Test
    void pastNettysPipelineDepthNothingMoreIsReadAndTheNextResponseCloses() {
        Capture capture = new Capture();
        EmbeddedChannel channel = new EmbeddedChannel(new ServerCodec(new HttpDecoderConfig()), capture);
        assertThrows(DecoderException.class, () -> channel.writeInbound(
                Unpooled.copiedBuffer(GET.repeat(ServerCodec.MAX_PIPELINE_DEPTH + 2), StandardCharsets.US_ASCII)));
        assertEquals(ServerCodec.MAX_PIPELINE_DEPTH, capture.requests);
        channel.writeInbound(Unpooled.copiedBuffer(GET, StandardCharsets.US_ASCII));
        assertEquals(ServerCodec.MAX_PIPELINE_DEPTH, capture.requests, "dropped after the limit");
        Exchange ex = new Exchange(capture.ctx, capture.first, false, channel.eventLoop(), new HttpStats());
        channel.writeOutbound(FileResponseHead.file(ex, SMALL, "text/plain", 4096, null), LastHttpContent.EMPTY_LAST_CONTENT);
        assertFalse(channel.isOpen(), "closed after the response");
        channel.finishAndReleaseAll();
    }

    /** A response with a body, as {@link Exchange#text} makes them, for Netty's encoder. */
    private static FullHttpResponse page(String body) {
        FullHttpResponse page = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer(body, StandardCharsets.US_ASCII));
        HttpUtil.setContentLength(page, body.length());
        return page;
    }

    /** Netty's bytes: the response as {@code ReadHandler} built it before, through Netty's own server codec. */
    private static void assertSameAsNetty(String request, HttpResponseStatus status, FileState state, String type,
            ByteRange range, boolean keepAlive) {
        long length = range == null ? state.size() : range.length();
        assertSameWithinASecond(() -> nettyAndOurs(request, status, state, type, range, keepAlive, length));
    }

    /**
     * Netty's bytes and ours, equal, Date included: both take the same second's Date, so a pair made across a
     * second's turn is made again (at most twice more: a second is long).
     */
    private static void assertSameWithinASecond(Supplier<String[]> nettyAndOurs) {
        for (int attempt = 0; ; attempt++) {
            String[] written = nettyAndOurs.get();
            Matcher nettys = DATE.matcher(written[0]);
            Matcher ours = DATE.matcher(written[1]);
            assertTrue(nettys.find() && ours.find(), "a Date in both: " + written[0] + written[1]);
            if (nettys.group().equals(ours.group()) || attempt == 2) {
                assertEquals(written[0], written[1]);
                return;
            }
        }
    }

    private static String[] nettyAndOurs(String request, HttpResponseStatus status, FileState state, String type,
            ByteRange range, boolean keepAlive, long length) {
        Served netty = new Served(new HttpServerCodec(), request);
        netty.ex.keepAlive(keepAlive);
        HttpResponse response = Exchange.newResponse(status);
        HttpUtil.setContentLength(response, length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (range != null) {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(state.size()));
        }
        netty.withValidators(state);
        netty.channel.writeOutbound(netty.ex.prepare(response), LastHttpContent.EMPTY_LAST_CONTENT);

        Served ours = new Served(new ServerCodec(new HttpDecoderConfig()), request);
        ours.ex.keepAlive(keepAlive);
        ours.channel.writeOutbound(FileResponseHead.file(ours.ex, state, type, length, range),
                LastHttpContent.EMPTY_LAST_CONTENT);
        String expected = netty.written();
        assertTrue(expected.startsWith("HTTP/1.1 " + status.code() + " "), expected);
        String[] written = {expected, ours.written()};
        assertFalse(netty.channel.finish() | ours.channel.finish(), "nothing left over");
        return written;
    }

    private static FileState state(long size, Instant modified) {
        return new FileState(false, true, size, FileTime.from(modified),
                "\"1f2e-" + Long.toHexString(size) + "-" + Long.toHexString(modified.getEpochSecond()) + "\"");
    }

    /** A channel with {@code codec} that has read {@code requests}; {@link #ex} answers the first. */
    private static final class Served {
        final EmbeddedChannel channel;
        final Exchange ex;

        Served(ChannelHandler codec, String requests) {
            Capture capture = new Capture();
            channel = new EmbeddedChannel(codec, capture);
            channel.writeInbound(Unpooled.copiedBuffer(requests, StandardCharsets.US_ASCII));
            assertNull(channel.readInbound(), "the capture takes every request");
            ex = new Exchange(capture.ctx, capture.first, false, channel.eventLoop(), new HttpStats());
        }

        void withValidators(FileState state) {
            ex.extraHeader(HttpHeaderNames.ETAG, state.etag());
            ex.extraHeader(HttpHeaderNames.LAST_MODIFIED, state.lastModified());
            ex.extraHeader(HttpHeaderNames.ACCEPT_RANGES, "bytes");
        }

        /** What went out since the last call, as text. */
        String written() {
            StringBuilder text = new StringBuilder();
            for (Object out; (out = channel.readOutbound()) != null;) {
                text.append(((ByteBuf) out).toString(StandardCharsets.US_ASCII));
                ReferenceCountUtil.release(out);
            }
            return text.toString();
        }
    }

    private static final class Capture extends ChannelInboundHandlerAdapter {
        ChannelHandlerContext ctx;
        HttpRequest first;
        int requests;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            this.ctx = ctx;
            if (msg instanceof HttpRequest request) {
                requests++;
                if (first == null) {
                    first = request;
                }
            }
            ReferenceCountUtil.release(msg);
        }
    }
}
