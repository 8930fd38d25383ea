// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.layerstore.board.sensors.NicCounters;

/**
 * SoC temperature (group {@code board}), NIC counters (group {@code nic.<name>}) and the I/O counters of each
 * share's block device (group {@code disk.<share>}).
 */
public final class BoardMetrics implements MetricsSource {

    private final BoardReadings sensors;
    private final RateMeter rates = new RateMeter();

    public BoardMetrics(BoardReadings sensors) {
        this.sensors = sensors;
    }

    @Override
    public List<Metric> sample() {
        List<Metric> metrics = new ArrayList<>();
        sensors.socTemperatureCelsius().ifPresent(
                c -> metrics.add(Metric.gauge("board", "soc_temperature", Math.round(c * 10) / 10.0, "°C")));
        for (Map.Entry<String, NicCounters> interfaceCounters : sensors.nicCounters().entrySet()) {
            String group = "nic." + interfaceCounters.getKey();
            NicCounters nic = interfaceCounters.getValue();
            metrics.add(Metric.counter(group, "rx_bytes", nic.rxBytes(), "B"));
            metrics.add(Metric.counter(group, "tx_bytes", nic.txBytes(), "B"));
            metrics.add(Metric.gauge(group, "rx_throughput", Math.round(rates.perSecond(group + "/rx", nic.rxBytes())), "B/s"));
            metrics.add(Metric.gauge(group, "tx_throughput", Math.round(rates.perSecond(group + "/tx", nic.txBytes())), "B/s"));
            metrics.add(Metric.counter(group, "rx_packets", nic.rxPackets(), ""));
            metrics.add(Metric.counter(group, "tx_packets", nic.txPackets(), ""));
            metrics.add(Metric.counter(group, "rx_errors", nic.rxErrors(), ""));
            metrics.add(Metric.counter(group, "tx_errors", nic.txErrors(), ""));
            metrics.add(Metric.counter(group, "rx_dropped", nic.rxDropped(), ""));
            metrics.add(Metric.counter(group, "tx_dropped", nic.txDropped(), ""));
        }
        for (DiskCounters disk : sensors.disks()) {
            String group = "disk." + disk.share();
            metrics.add(Metric.info(group, "device", disk.device()));
            metrics.add(Metric.counter(group, "read_bytes", disk.bytesRead(), "B"));
            metrics.add(Metric.counter(group, "written_bytes", disk.bytesWritten(), "B"));
            metrics.add(Metric.counter(group, "reads", disk.reads(), ""));
            metrics.add(Metric.counter(group, "writes", disk.writes(), ""));
            metrics.add(Metric.gauge(group, "in_flight", disk.inFlight(), ""));
        }
        return metrics;
    }
}
