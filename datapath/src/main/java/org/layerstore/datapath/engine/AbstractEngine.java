// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.mapping.FileMapping;
import org.layerstore.datapath.mapping.PageSize;
import org.layerstore.datapath.stats.EngineStatistics;

/** Name, statistics and the availability gate shared by the engines. */
abstract class AbstractEngine implements TransmitEngine {

    private final String name;
    private final EngineStatistics statistics;

    AbstractEngine(String name) {
        this.name = name;
        this.statistics = new EngineStatistics(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final EngineStatistics statistics() {
        return statistics;
    }

    @Override
    public final Transfer open(OpenFile file, FileRange range) throws IOException {
        Availability availability = availability();
        if (!availability.available()) {
            throw new IllegalStateException("engine " + name + " is " + availability);
        }
        long size = file.size();
        if (range.end() > size) {
            throw new IOException("range [" + range.offset() + ", " + range.end() + ") is past the end of the "
                    + size + "-byte file");
        }
        return start(file, range);
    }

    /** For the engines that send from a mapping of the range (mmap, zerocopy): one mmap, counted as a syscall. */
    protected final FileMapping mapRange(OpenFile file, FileRange range) throws IOException {
        FileMapping mapping = FileMapping.map(file.channel(), range, PageSize.system());
        statistics.syscalls(1);
        return mapping;
    }

    /** Creates the transfer of a range known to be inside the file. */
    protected abstract Transfer start(OpenFile file, FileRange range) throws IOException;

    @Override
    public String toString() {
        return name;
    }
}
