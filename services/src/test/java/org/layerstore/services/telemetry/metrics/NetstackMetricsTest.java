// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.layerstore.netstack.StackCounter;
import org.layerstore.netstack.StackCounters;
import org.layerstore.netstack.link.LinkCounters;

class NetstackMetricsTest {

    /** A link's counters as a frame-manager link reports them after sending 65 MiB of bodies. */
    private record Sent(long dmaPayloadBytes, long copiedPayloadBytes, long pinnedBytes) implements LinkCounters {
    }

    @Test
    void theGroupCarriesTheLinksDmaCopiedAndPinnedBytesBesideTheStacks() {
        StackCounters stack = new StackCounters();
        stack.add(StackCounter.FILE_BYTES_MAPPED, 68_157_440);
        Map<String, Metric> metrics = new NetstackMetrics(stack, new Sent(68_157_440, 386, 1 << 20)).sample().stream()
                .collect(Collectors.toMap(Metric::name, Function.identity()));
        assertEquals(68_157_440L, metrics.get("file_bytes_mapped").value());
        assertEquals(68_157_440L, metrics.get("link_dma_bytes").value());
        assertEquals(386L, metrics.get("link_copied_bytes").value());
        assertEquals(1 << 20, ((Number) metrics.get("link_pinned_bytes").value()).intValue());
        assertEquals("B", metrics.get("link_pinned_bytes").unit());
        assertEquals(Metric.Kind.GAUGE, metrics.get("link_pinned_bytes").kind());
        assertEquals(Metric.Kind.COUNTER, metrics.get("link_dma_bytes").kind());
    }
}
