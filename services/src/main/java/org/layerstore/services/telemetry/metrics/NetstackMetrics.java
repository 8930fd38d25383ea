// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.tcp.TcpState;

/**
 * The offload port's user-space TCP/IP stack. Group {@code netstack}: segments in and out, retransmissions,
 * connections by state, pinned bytes (payload held until the peer's ACK), CPU-copied bytes received and
 * sent, file bytes sent as mapped pages, drops; and the link's payload: {@code link_dma_bytes} (read by the
 * frame manager from the pages by bus address), {@code link_copied_bytes} (copied by the CPU: behind a
 * frame's header, or by the kernel at an AF_PACKET sendmsg) and {@code link_pinned_bytes} (file pages pinned
 * and registered for DMA now), {@code link_receive_buffers_lent} (receive buffers whose bytes the stack keeps
 * uncopied now).
 */
public final class NetstackMetrics implements MetricsSource {

    private static final String GROUP = "netstack";
    private static final List<StackCounter> COUNTED = List.of(StackCounter.SEGMENTS_IN, StackCounter.SEGMENTS_OUT,
            StackCounter.RETRANSMISSIONS, StackCounter.FAST_RETRANSMITS, StackCounter.RTO_EXPIRIES,
            StackCounter.RESETS_SENT, StackCounter.CHALLENGE_ACKS, StackCounter.SYN_COOKIES_SENT,
            StackCounter.CONNECTIONS_ABORTED, StackCounter.RECEIVED_BYTES_COPIED, StackCounter.RECEIVED_BYTES_KEPT,
            StackCounter.SENT_BYTES_COPIED, StackCounter.FILE_BYTES_MAPPED);

    private final StackCounters counters;
    private final LinkCounters link;

    public NetstackMetrics(StackCounters counters, LinkCounters link) {
        this.counters = counters;
        this.link = link;
    }

    @Override
    public List<Metric> sample() {
        List<Metric> out = new ArrayList<>();
        for (StackCounter c : COUNTED) {
            out.add(Metric.counter(GROUP, c.name().toLowerCase(Locale.ROOT), counters.get(c),
                    c.name().contains("_BYTES_") ? "B" : ""));
        }
        for (TcpState s : TcpState.values()) {
            out.add(Metric.gauge(GROUP, "connections_" + s.name().toLowerCase(Locale.ROOT), counters.connections(s), ""));
        }
        out.add(Metric.gauge(GROUP, "pinned_bytes", counters.pinnedBytes(), "B"));
        out.add(Metric.counter(GROUP, "drops", counters.totalDrops(), ""));
        out.add(Metric.counter(GROUP, "link_dma_bytes", link.dmaPayloadBytes(), "B"));
        out.add(Metric.counter(GROUP, "link_copied_bytes", link.copiedPayloadBytes(), "B"));
        out.add(Metric.gauge(GROUP, "link_pinned_bytes", link.pinnedBytes(), "B"));
        out.add(Metric.gauge(GROUP, "link_receive_buffers_lent", link.receiveBuffersLent(), ""));
        return out;
    }
}
