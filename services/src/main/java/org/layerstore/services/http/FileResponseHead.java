// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.charset.StandardCharsets;

import org.layerstore.services.http.ranges.ByteRange;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The status line and headers of a file response (200, 206 of one range, 304), encoded straight into one
 * pooled buffer: Netty's way (a {@code DefaultHttpHeaders}, then its encoder walking it and writing each
 * name and value a character at a time) was about an eighth of a small GET's time. The names are
 * constant bytes, the numbers are written as ASCII digits without a String, the Last-Modified date
 * comes from {@link HttpDates#imfFixdate}'s cache, the Date from {@link ResponseDate}'s. The bytes are exactly those Netty's encoder writes for
 * the response {@link ReadHandler} otherwise builds (lower-case names, in the same order), and the
 * {@link ServerCodec} passes them to the socket as they are.
 */
final class FileResponseHead extends DefaultByteBufHolder {

    private static final byte[] OK = ascii("HTTP/1.1 200 OK\r\n");
    private static final byte[] PARTIAL_CONTENT = ascii("HTTP/1.1 206 Partial Content\r\n");
    private static final byte[] NOT_MODIFIED = ascii("HTTP/1.1 304 Not Modified\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("content-length: ");
    private static final byte[] CONTENT_TYPE = ascii("\r\ncontent-type: ");
    private static final byte[] CONTENT_RANGE = ascii("\r\ncontent-range: bytes ");
    /** The first header of a 304, which has no Content-Length (RFC 9110 section 15.4.5) before it. */
    private static final byte[] FIRST_ETAG = ascii("etag: ");
    private static final byte[] ETAG = ascii("\r\netag: ");
    private static final byte[] LAST_MODIFIED = ascii("\r\nlast-modified: ");
    private static final byte[] ACCEPT_RANGES = ascii("\r\naccept-ranges: bytes");
    private static final byte[] CLOSE = ascii("\r\nconnection: close");
    private static final byte[] KEEP_ALIVE = ascii("\r\nconnection: keep-alive");
    /** Last, as {@link Exchange#prepare} sets it after the Connection header. */
    private static final byte[] DATE = ascii("\r\ndate: ");
    private static final byte[] END = ascii("\r\n\r\n");
    /** Room for the constant parts and the numbers, besides the type and the tag. */
    private static final int FIXED_BYTES = 256;

    private FileResponseHead(ByteBuf encoded) {
        super(encoded);
    }

    /**
     * The head of a 200 or, with {@code range} not null, a 206 with {@code length} bytes of {@code state}'s
     * file; counted as {@code ex}'s response.
     */
    static FileResponseHead file(Exchange ex, FileState state, String type, long length, ByteRange range) {
        HttpResponseStatus status = range == null ? HttpResponseStatus.OK : HttpResponseStatus.PARTIAL_CONTENT;
        ByteBuf out = ex.ctx.alloc().buffer(FIXED_BYTES + type.length() + state.etag().length());
        out.writeBytes(range == null ? OK : PARTIAL_CONTENT);
        out.writeBytes(CONTENT_LENGTH);
        writeDecimal(out, length);
        out.writeBytes(CONTENT_TYPE);
        out.writeCharSequence(type, StandardCharsets.US_ASCII);
        if (range != null) {
            out.writeBytes(CONTENT_RANGE);
            writeDecimal(out, range.first());
            out.writeByte('-');
            writeDecimal(out, range.last());
            out.writeByte('/');
            writeDecimal(out, state.size());
        }
        out.writeBytes(ETAG);
        return finish(ex, status, state, out);
    }

    /** The head of a 304 for {@code state}'s file (no Content-Length: RFC 9110 section 15.4.5); counted as {@code ex}'s. */
    static FileResponseHead notModified(Exchange ex, FileState state) {
        ByteBuf out = ex.ctx.alloc().buffer(FIXED_BYTES + state.etag().length());
        out.writeBytes(NOT_MODIFIED);
        out.writeBytes(FIRST_ETAG);
        return finish(ex, HttpResponseStatus.NOT_MODIFIED, state, out);
    }

    /** The validators, the connection's fate ({@link KeepAlive#mark}) and the Date after the ETag's name. */
    private static FileResponseHead finish(Exchange ex, HttpResponseStatus status, FileState state, ByteBuf out) {
        out.writeCharSequence(state.etag(), StandardCharsets.US_ASCII);
        out.writeBytes(LAST_MODIFIED);
        out.writeBytes(HttpDates.imfFixdate(state.modified()));
        out.writeBytes(ACCEPT_RANGES);
        if (!ex.keepsAlive()) {
            out.writeBytes(CLOSE);
        } else if (ex.request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            out.writeBytes(KEEP_ALIVE);
        }
        out.writeBytes(DATE);
        out.writeBytes(ResponseDate.ascii());
        out.writeBytes(END);
        ex.preEncoded(status);
        return new FileResponseHead(out);
    }

    /** {@code value} (not negative) in decimal ASCII digits. */
    static void writeDecimal(ByteBuf out, long value) {
        int digits = 1;
        for (long rest = value / 10; rest != 0; rest /= 10) {
            digits++;
        }
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        long rest = value;
        for (int at = end - 1; at >= out.writerIndex(); at--) {
            out.setByte(at, (int) ('0' + rest % 10));
            rest /= 10;
        }
        out.writerIndex(end);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
