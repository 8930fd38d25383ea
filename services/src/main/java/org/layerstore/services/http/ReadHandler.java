// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import org.layerstore.datapath.OpenFile;
import org.layerstore.hal.libc.NativeCallException;
import org.layerstore.hal.libc.OpenFlags;
import org.layerstore.hal.libc.OpenOutcome;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.http.ranges.ByteRange;
import org.layerstore.services.http.ranges.RangeRequest;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;

/** GET and HEAD: files (whole, one range, or multipart/byteranges), with validators and conditionals; folder pages. */
final class ReadHandler implements MethodHandler {

    private final FileBodyWriter bodies;
    private final LimitSettings limits;

    ReadHandler(FileBodyWriter bodies, LimitSettings limits) {
        this.bodies = bodies;
        this.limits = limits;
    }

    /**
     * On the event loop, before anything is written: the file, when it opens beneath its share in one
     * step or the loop's open-file cache has it (see {@link Share#openKept}). Empty when the answer belongs on a file-I/O thread: a folder
     * page, a missing file or a link to judge.
     */
    Optional<ShareFile> openQuickly(Resource resource) {
        return resource.share().openKept(resource);
    }

    /** Answers with a file from {@link #openQuickly}, which it now owns. */
    void serve(Exchange ex, ShareFile file) throws IOException, PathRefusedException {
        serve(ex, file.resource(), file.state(), new BodySource(file.resource().path(), file.file()));
    }

    /**
     * {@code resource} is only checked as text (see {@link Share#unresolved}): it is opened inside its share
     * here, and everything after works on that descriptor, so a link swapped meanwhile cannot lead out.
     */
    @Override
    public void handle(Exchange ex, Resource resource, byte[] body) throws IOException, PathRefusedException {
        Optional<ShareFile> opened = resource.share().openBeneath(resource);
        if (opened.isPresent()) {
            serve(ex, resource, opened.get().state(), new BodySource(resource.path(), opened.get().file()));
            return;
        }
        // O_NONBLOCK: opening a FIFO someone put in the share must not wait for a writer.
        OpenOutcome inside = resource.share().openInside(resource, OpenFlags.READ_ONLY | OpenFlags.NON_BLOCKING,
                ex.request.uri());
        FileState state;
        try {
            state = FileState.of(inside.status());
        } catch (NativeCallException e) {
            inside.close();
            throw new IOException("statx of " + resource.path() + ": " + e.getMessage(), e);
        }
        if (state.regularFile()) {
            serve(ex, resource, state, new BodySource(resource.path(), OpenFile.adoptForReading(resource.path(), inside)));
            return;
        }
        try (inside) {
            if (!state.directory()) {
                throw PathRefusedException.notFound(ex.request.uri()); // a FIFO or a device: nothing to serve
            }
            serveDirectory(ex, resource, inside.procPath());
        }
    }

    private void serve(Exchange ex, Resource resource, FileState state, BodySource source)
            throws IOException, PathRefusedException {
        try (source) {
            Preconditions.Outcome outcome = Preconditions.evaluate(ex.request, state, true);
            RangeRequest ranges = outcome == Preconditions.Outcome.PROCEED ? ranges(ex, state) : null;
            if (ex.noExtraHeaders() && answeredPreEncoded(ex, resource, state, source, outcome, ranges)) {
                return;
            }
            ex.extraHeader(HttpHeaderNames.ETAG, state.etag());
            ex.extraHeader(HttpHeaderNames.LAST_MODIFIED, state.lastModified());
            ex.extraHeader(HttpHeaderNames.ACCEPT_RANGES, "bytes");
            switch (outcome) {
                case NOT_MODIFIED -> {
                    ex.empty(HttpResponseStatus.NOT_MODIFIED);
                    return;
                }
                case FAILED -> {
                    ex.status(HttpResponseStatus.PRECONDITION_FAILED);
                    return;
                }
                case PROCEED -> {
                    // serve below
                }
            }
            String type = ContentTypes.of(resource.path());
            switch (ranges.kind()) {
                case UNSATISFIABLE -> {
                    ex.extraHeader(HttpHeaderNames.CONTENT_RANGE, "bytes */" + state.size());
                    ex.status(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE);
                }
                case FULL -> send(ex, resource, source, HttpResponseStatus.OK, type, whole(state), state.size(), null);
                case PARTIAL -> {
                    if (ranges.ranges().size() == 1) {
                        ByteRange r = ranges.ranges().getFirst();
                        send(ex, resource, source, HttpResponseStatus.PARTIAL_CONTENT, type, r, r.length(),
                                r.contentRange(state.size()));
                    } else {
                        sendMultipart(ex, resource, source, type, ranges.ranges(), state.size());
                    }
                }
            }
        }
    }

    private RangeRequest ranges(Exchange ex, FileState state) {
        String header = Preconditions.rangeApplies(ex.request, state) ? ex.header(HttpHeaderNames.RANGE) : null;
        return RangeRequest.parse(header, state.size(), limits.maxRanges(), limits.maxOverlappingRanges());
    }

    private static ByteRange whole(FileState state) {
        return new ByteRange(0, Math.max(0, state.size() - 1));
    }

    /**
     * The common answers, a 304, a 200 or a 206 of one range, with their head written pre-encoded
     * ({@link FileResponseHead}); false, having written nothing, for the others, which Netty's encoder
     * writes (and for any response with other extra headers waiting: the caller checks).
     */
    private boolean answeredPreEncoded(Exchange ex, Resource resource, FileState state, BodySource source,
            Preconditions.Outcome outcome, RangeRequest ranges) throws IOException {
        if (outcome == Preconditions.Outcome.NOT_MODIFIED) {
            ex.finish(ex.ctx.writeAndFlush(FileResponseHead.notModified(ex, state)), HttpResponseStatus.NOT_MODIFIED, 0);
            return true;
        }
        if (outcome != Preconditions.Outcome.PROCEED) {
            return false;
        }
        String type = ContentTypes.of(resource.path());
        switch (ranges.kind()) {
            case FULL -> {
                ex.ctx.write(FileResponseHead.file(ex, state, type, state.size(), null));
                sendBody(ex, resource, source, HttpResponseStatus.OK, whole(state), state.size());
                return true;
            }
            case PARTIAL -> {
                if (ranges.ranges().size() != 1) {
                    return false;
                }
                ByteRange r = ranges.ranges().getFirst();
                ex.ctx.write(FileResponseHead.file(ex, state, type, r.length(), r));
                sendBody(ex, resource, source, HttpResponseStatus.PARTIAL_CONTENT, r, r.length());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void send(Exchange ex, Resource resource, BodySource source, HttpResponseStatus status, String type,
            ByteRange range, long length, String contentRange) throws IOException {
        HttpResponse response = Exchange.newResponse(status);
        HttpUtil.setContentLength(response, length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        if (contentRange != null) {
            response.headers().set(HttpHeaderNames.CONTENT_RANGE, contentRange);
        }
        ex.ctx.write(ex.prepare(response));
        sendBody(ex, resource, source, status, range, length);
    }

    /** What follows a file response's head: {@code length} bytes of {@code range}, none for HEAD. */
    private void sendBody(Exchange ex, Resource resource, BodySource source, HttpResponseStatus status, ByteRange range,
            long length) throws IOException {
        if (ex.isHead() || length == 0) {
            ex.finish(ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), status, 0);
            return;
        }
        ex.finish(bodies.write(ex, resource.share().engine(), source.take(), range.first(), length), status, length);
    }

    private void sendMultipart(Exchange ex, Resource resource, BodySource source, String type, List<ByteRange> ranges,
            long total) throws IOException {
        String boundary = "layerstore-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
        List<FileBodyWriter.Part> parts = new ArrayList<>(ranges.size());
        long length = 0;
        for (ByteRange r : ranges) {
            String header = "\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
                    + r.contentRange(total) + "\r\n\r\n";
            parts.add(new FileBodyWriter.Part(header, r));
            length += header.length() + r.length();
        }
        String closing = "\r\n--" + boundary + "--\r\n";
        length += closing.length();
        HttpResponse response = Exchange.newResponse(HttpResponseStatus.PARTIAL_CONTENT);
        HttpUtil.setContentLength(response, length);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
        ex.ctx.write(ex.prepare(response));
        if (ex.isHead()) {
            ex.finish(ex.ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT), HttpResponseStatus.PARTIAL_CONTENT, 0);
            return;
        }
        ex.finish(bodies.writeParts(ex, resource.share().engine(), source.take(), parts, closing),
                HttpResponseStatus.PARTIAL_CONTENT, length);
    }

    /** {@code listed}: the folder's open descriptor as a path, what is listed. */
    private static void serveDirectory(Exchange ex, Resource resource, Path listed) throws IOException {
        String href = resource.href(true);
        if (!RequestPath.hasTrailingSlash(ex.request.uri())) {
            ex.extraHeader(HttpHeaderNames.LOCATION, href);
            ex.text(HttpResponseStatus.MOVED_PERMANENTLY, "moved to " + href + "\n");
            return;
        }
        ex.html(HttpResponseStatus.OK, DirectoryListingPage.render(href, resource, listed, true));
    }
}
