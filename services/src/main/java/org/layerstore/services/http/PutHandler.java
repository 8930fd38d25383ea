// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import org.layerstore.datapath.engine.ReceiveEngine;
import org.layerstore.netstack.netty.NetStackChannel;
import org.layerstore.services.config.LimitSettings;
import org.layerstore.services.http.webdav.WriteGuard;
import org.layerstore.services.telemetry.TelemetryEvents;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * PUT: checks everything that can be checked before the body arrives (folder, parent, size, If-Match and
 * friends, locks), then streams the body through an {@link UploadReceiver}. Answers 201 for a new file,
 * 204 for a replaced one. Each upload whose body began raises one event: {@code upload} when the file is in
 * place, {@code upload_failed} when it was dropped (the old file stands).
 */
final class PutHandler {

    private final WriteGuard guard;
    private final LimitSettings limits;
    private final UploadEngines uploads;
    private final TelemetryEvents events;

    /** {@code uploads}: which receive engine carries each share's uploads. */
    PutHandler(WriteGuard guard, LimitSettings limits, UploadEngines uploads, TelemetryEvents events) {
        this.uploads = uploads;
        this.events = events;
        this.guard = guard;
        this.limits = limits;
    }

    /** The sink for the body, or null when the request has already been answered. */
    BodySink begin(Exchange ex, Resource resource) throws IOException, PathRefusedException {
        if (resource.isDirectory() || resource.isShareRoot()) {
            ex.status(HttpResponseStatus.METHOD_NOT_ALLOWED);
            return null;
        }
        if (!resource.parent().isDirectory()) {
            ex.status(HttpResponseStatus.CONFLICT);
            return null;
        }
        if (ex.header(HttpHeaderNames.CONTENT_RANGE) != null) {
            ex.text(HttpResponseStatus.BAD_REQUEST, "partial PUT (Content-Range) is not supported\n");
            return null;
        }
        long declared = HttpUtil.getContentLength(ex.request, -1L);
        if (declared > limits.maxUploadBytes()) {
            ex.status(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
            return null;
        }
        boolean existed = resource.exists();
        FileState state = existed ? FileState.of(resource.path()) : null;
        if (Preconditions.evaluate(ex.request, state, false) != Preconditions.Outcome.PROCEED) {
            ex.status(HttpResponseStatus.PRECONDITION_FAILED);
            return null;
        }
        if (!guard.permits(ex, resource, existed ? List.of(resource) : List.of(resource, resource.parent()), List.of())) {
            return null;
        }
        UploadReceiver upload = UploadReceiver.open(resource.share().parentInside(resource, ex.request.uri()),
                resource.name(), limits.maxUploadBytes(), uploads.copyStatistics());
        ex.engine(upload.engine());
        String share = resource.share().name();
        String path = resource.pathInShare();
        // On the offload port the pieces are the stack's receive buffers: the file write is their one copy.
        NetStackChannel offloaded = ex.ctx.channel() instanceof NetStackChannel c ? c : null;
        return new BodySink() {
            /** Whether this upload's event has been raised: the dispatcher may abort after a failed piece. */
            private boolean reported;

            @Override
            public void content(ByteBuf piece) throws IOException {
                try {
                    int bytes = piece.readableBytes();
                    upload.write(piece);
                    if (offloaded != null) {
                        offloaded.receivedBytesCopied(bytes);
                    }
                } catch (IOException e) {
                    failed(e.toString());
                    throw e;
                }
            }

            @Override
            public boolean takeSocket() {
                ReceiveEngine engine = HttpUtil.isTransferEncodingChunked(ex.request) ? null
                        : uploads.socketEngine(resource.share().name(), declared, ex.ctx.channel());
                if (engine == null) {
                    return false;
                }
                new SocketBodyReceiver(ex, upload, engine, declared).start();
                return true;
            }

            @Override
            public void end() throws IOException {
                try {
                    upload.commit(temporary -> {
                        if (existed && Files.exists(resource.path())) {
                            resource.share().properties().carryOver(resource.path(), temporary);
                        }
                    });
                } catch (IOException e) {
                    failed(e.toString());
                    throw e;
                }
                reported = true;
                events.upload(share, path, upload.received());
                ex.extraHeader(HttpHeaderNames.ETAG, upload.committedState().etag());
                ex.empty(existed ? HttpResponseStatus.NO_CONTENT : HttpResponseStatus.CREATED);
            }

            @Override
            public void abort() {
                upload.abort();
                failed("dropped before the body was complete");
            }

            private void failed(String reason) {
                if (!reported) {
                    reported = true;
                    events.uploadFailed(share, path, upload.received(), reason);
                }
            }
        };
    }
}
