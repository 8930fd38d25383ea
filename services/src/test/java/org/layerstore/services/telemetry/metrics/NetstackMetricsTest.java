// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.DropReason;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;
import org.layerstore.netstack.tcp.TcpState;

class NetstackMetricsTest {

    /** A link's counters as a frame-manager link reports them after sending 65 MiB of bodies. */
    private record Sent(long dmaPayloadBytes, long copiedPayloadBytes, long pinnedBytes, long receiveBuffersLent)
            implements LinkCounters {
    }

    @Test
    void shouldPublishTheStacksCountersInTheNetstackGroup() {
        StackCounters counters = new StackCounters();
        counters.count(StackCounter.SEGMENTS_IN);
        counters.count(StackCounter.SEGMENTS_OUT);
        counters.count(StackCounter.SEGMENTS_OUT);
        counters.count(StackCounter.RETRANSMISSIONS);
        counters.add(StackCounter.FILE_BYTES_MAPPED, 1 << 20);
        counters.add(StackCounter.RECEIVED_BYTES_COPIED, 300);
        counters.transition(null, TcpState.ESTABLISHED);
        counters.transition(null, TcpState.ESTABLISHED);
        counters.transition(TcpState.ESTABLISHED, TcpState.TIME_WAIT);
        counters.pinned(4096);
        counters.drop(DropReason.TCP_BAD_CHECKSUM);
        counters.drop(DropReason.NOT_OUR_MAC);

        Map<String, Metric> sample = new NetstackMetrics(counters, new Sent(0, 0, 0, 0)).sample().stream()
                .collect(Collectors.toMap(Metric::key, m -> m));

        assertEquals(1L, sample.get("netstack/segments_in").value());
        assertEquals(2L, sample.get("netstack/segments_out").value());
        assertEquals(1L, sample.get("netstack/retransmissions").value());
        assertEquals((long) (1 << 20), sample.get("netstack/file_bytes_mapped").value());
        assertEquals("B", sample.get("netstack/file_bytes_mapped").unit());
        assertEquals(300L, sample.get("netstack/received_bytes_copied").value());
        assertEquals(0L, sample.get("netstack/sent_bytes_copied").value());
        assertEquals(1L, sample.get("netstack/connections_established").value());
        assertEquals(1L, sample.get("netstack/connections_time_wait").value());
        assertEquals(Metric.Kind.GAUGE, sample.get("netstack/connections_established").kind());
        assertEquals(4096L, sample.get("netstack/pinned_bytes").value());
        assertEquals(2L, sample.get("netstack/drops").value());
    }

    @Test
    void theGroupCarriesTheLinksDmaCopiedAndPinnedBytesBesideTheStacks() {
        StackCounters stack = new StackCounters();
        stack.add(StackCounter.FILE_BYTES_MAPPED, 68_157_440);
        Map<String, Metric> metrics = new NetstackMetrics(stack, new Sent(68_157_440, 386, 1 << 20, 3)).sample().stream()
                .collect(Collectors.toMap(Metric::name, Function.identity()));
        assertEquals(68_157_440L, metrics.get("file_bytes_mapped").value());
        assertEquals(68_157_440L, metrics.get("link_dma_bytes").value());
        assertEquals(386L, metrics.get("link_copied_bytes").value());
        assertEquals(1 << 20, ((Number) metrics.get("link_pinned_bytes").value()).intValue());
        assertEquals("B", metrics.get("link_pinned_bytes").unit());
        assertEquals(Metric.Kind.GAUGE, metrics.get("link_pinned_bytes").kind());
        assertEquals(Metric.Kind.COUNTER, metrics.get("link_dma_bytes").kind());
        assertEquals(3L, metrics.get("link_receive_buffers_lent").value());
        assertEquals(Metric.Kind.GAUGE, metrics.get("link_receive_buffers_lent").kind());
    }
}
