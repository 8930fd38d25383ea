package org.layerstore.services.http;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.layerstore.services.http.ranges.ByteRange;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedNioFile;

/**
 * Every file body the server sends goes out through here: the one seam where the datapath's transmit
 * engines plug in. Today plain connections send a {@link DefaultFileRegion}, which the epoll transport
 * turns into sendfile(2); TLS connections cannot (the bytes must pass through the SSL engine in user
 * space), so they read the file in chunks into buffers ("copy"). The engine that carried each transfer
 * is recorded on the exchange and appears in the access log.
 */
public final class FileBodyWriter {

    /** Bytes per buffer when a file body goes through the SSL engine. */
    static final int TLS_CHUNK_BYTES = 64 * 1024;

    private final boolean tls;

    public FileBodyWriter(boolean tls) {
        this.tls = tls;
    }

    /** The engine that will carry a body for a share configured with {@code requested}. */
    String engineFor(String requested) {
        // Until the datapath's engines are plugged in, "auto" and every named engine mean sendfile.
        return tls ? "copy" : "sendfile";
    }

    /** Writes {@code length} bytes of {@code file} from {@code offset}, then the end of the message. */
    ChannelFuture write(Exchange ex, String requestedEngine, Path file, long offset, long length) throws IOException {
        String engine = engineFor(requestedEngine);
        ex.engine(engine);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ex.ctx.write(region(channel, offset, length));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** One part of a multipart/byteranges body: its header block and the range it carries. */
    record Part(String header, ByteRange range) {
    }

    /** Writes each part's header then its bytes, then the closing delimiter. */
    ChannelFuture writeParts(Exchange ex, String requestedEngine, Path file, List<Part> parts, String closing)
            throws IOException {
        ex.engine(engineFor(requestedEngine));
        for (Part part : parts) {
            ex.ctx.write(Unpooled.copiedBuffer(part.header(), StandardCharsets.US_ASCII));
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                ex.ctx.write(region(channel, part.range().first(), part.range().length()));
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }
        ex.ctx.write(Unpooled.copiedBuffer(closing, StandardCharsets.US_ASCII));
        return ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    /** The region or chunked input owns the channel from here and closes it when the transfer ends or fails. */
    private Object region(FileChannel channel, long offset, long length) throws IOException {
        if (tls) {
            return new ChunkedNioFile(channel, offset, length, TLS_CHUNK_BYTES);
        }
        return new DefaultFileRegion(channel, offset, length);
    }
}
