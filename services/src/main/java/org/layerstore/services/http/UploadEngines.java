// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.engine.ReceiveEngine;
import org.layerstore.datapath.engine.TransmitEngines;
import org.layerstore.datapath.stats.EngineStatistics;
import org.layerstore.services.config.ShareSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.IoEventLoop;
import io.netty.channel.epoll.AbstractEpollStreamChannel;
import io.netty.channel.epoll.EpollIoHandle;

/**
 * Which receive engine carries each share's uploads ({@code uploadEngine}: {@code auto}, {@code copy},
 * {@code splice}). {@code copy} takes the body as Netty's buffers; {@code splice} takes the part of a
 * body with a Content-Length that Netty has not read yet straight from the socket ({@link SocketBodyReceiver}).
 * {@code auto} splices bodies from {@value #AUTO_SPLICE_MIN_BYTES} bytes: the switch costs about a dozen
 * system calls and three hand-overs between threads, and a smaller body has mostly arrived with its headers.
 *
 * <p>As for downloads, a configured engine that cannot apply is not an error: at start a warning names the
 * share and the reason, the splice engine's statistics count the fallback, and the share's uploads use
 * {@code copy}. Under TLS uploads are always {@code copy} (the bytes on the socket are encrypted records).
 */
final class UploadEngines {

    private static final Logger LOG = LoggerFactory.getLogger(UploadEngines.class);

    static final String COPY = "copy";
    static final String SPLICE = "splice";
    /** The smallest Content-Length {@code auto} splices. */
    static final long AUTO_SPLICE_MIN_BYTES = 1 << 20;
    static final String TLS_REASON = "TLS: the bytes on the socket are encrypted records, decrypted in user space";

    private final ReceiveEngine copy;
    private final ReceiveEngine splice;
    /** Share name to the engine its uploads use: copy, splice, or auto (splice from the threshold). */
    private final Map<String, String> configured = new HashMap<>();
    private final List<EngineFallback> fallbacks = new ArrayList<>();

    UploadEngines(TransmitEngines engines, boolean tls, List<ShareSettings> shares) {
        this.copy = receiver(engines, COPY);
        this.splice = receiver(engines, SPLICE);
        Availability availability = splice.availability();
        for (ShareSettings share : shares) {
            String wanted = share.uploadEngine();
            String reason = tls ? TLS_REASON : availability.available() ? null : availability.reason();
            if (reason == null || wanted.equals(COPY)) {
                configured.put(share.name(), wanted);
                continue;
            }
            configured.put(share.name(), COPY);
            if (wanted.equals(SPLICE)) {
                splice.statistics().fallback(reason);
                fallbacks.add(new EngineFallback(share.name(), splice.statistics().engine(), copy.statistics().engine(), reason));
                LOG.warn("share '{}': upload engine splice does not apply ({}); its uploads go through copy", share.name(),
                        reason);
            }
        }
    }

    private static ReceiveEngine receiver(TransmitEngines engines, String name) {
        return engines.receivers().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("the datapath has no " + name + " receive engine"));
    }

    /** The counters of the uploads (or the parts of them) that arrive as Netty's buffers. */
    EngineStatistics copyStatistics() {
        return copy.statistics();
    }

    /**
     * The engine that takes the unread rest of a body of {@code declaredLength} bytes for {@code share} straight
     * from {@code channel}'s socket, or null when the body comes as buffers ({@code copy}, chunked bodies
     * (length -1), another transport).
     */
    ReceiveEngine socketEngine(String share, long declaredLength, Channel channel) {
        String engine = configured.getOrDefault(share, COPY);
        boolean wanted = engine.equals(SPLICE) && declaredLength > 0
                || engine.equals(ShareSettings.DEFAULT_ENGINE) && declaredLength >= AUTO_SPLICE_MIN_BYTES;
        return wanted && canSpliceFrom(channel) ? splice : null;
    }

    /** An epoll socket whose event loop takes extra descriptors to watch (Netty 4.2's IoHandle registrations). */
    private static boolean canSpliceFrom(Channel channel) {
        return channel instanceof AbstractEpollStreamChannel && channel.eventLoop() instanceof IoEventLoop loop
                && loop.isCompatible(EpollIoHandle.class);
    }

    /** The shares whose configured upload engine does not apply here, found at start. */
    List<EngineFallback> fallbacks() {
        return List.copyOf(fallbacks);
    }
}
