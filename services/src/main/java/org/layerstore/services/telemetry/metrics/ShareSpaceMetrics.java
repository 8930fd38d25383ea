// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.layerstore.services.config.ShareSettings;

/** Capacity and free space of the file system under each share. Group {@code share.<name>}. */
public final class ShareSpaceMetrics implements MetricsSource {

    private final List<ShareSettings> shares;

    public ShareSpaceMetrics(List<ShareSettings> shares) {
        this.shares = List.copyOf(shares);
    }

    @Override
    public List<Metric> sample() {
        List<Metric> metrics = new ArrayList<>();
        for (ShareSettings share : shares) {
            try {
                FileStore store = Files.getFileStore(share.root());
                long total = store.getTotalSpace();
                long free = store.getUsableSpace();
                String group = "share." + share.name();
                metrics.add(Metric.gauge(group, "capacity", total, "B"));
                metrics.add(Metric.gauge(group, "free", free, "B"));
                metrics.add(Metric.gauge(group, "used_percent",
                        total == 0 ? 0.0 : Math.round((total - free) * 10000.0 / total) / 100.0, "%"));
            } catch (IOException e) {
                // A share whose disk went away is left out of this sample; the file server reports the error.
                continue;
            }
        }
        return metrics;
    }
}
