// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;
import org.layerstore.datapath.OpenFile;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.FileRange;
import org.layerstore.datapath.stats.EngineStatistics;

/**
 * One way of moving a file range to a connection. Engines are shared by all connections and
 * thread-safe; each request gets its own {@link Transfer}.
 */
public interface TransmitEngine {

    /** The engine's name as configured and reported: {@code copy}, {@code mmap}, {@code sendfile}, ... */
    String name();

    /** Whether the engine works on this host, and why (not). Cheap: the answer is computed once. */
    Availability availability();

    /**
     * Starts moving {@code range} of {@code file}. The caller keeps ownership of {@code file} and must keep
     * it open until the transfer is closed.
     *
     * @throws IOException                when the range cannot be prepared (mapping failed, file too short)
     * @throws IllegalStateException      when the engine is unavailable (check {@link #availability()})
     */
    Transfer open(OpenFile file, FileRange range) throws IOException;

    /**
     * Whether the engine still uses the connection's socket after {@link Transfer#transferTo} returns
     * (completions read later): the caller then gives the transfer a
     * descriptor of its own, so a connection closed meanwhile cannot lend its number to another.
     */
    default boolean usesSocketAfterWrite() {
        return false;
    }

    /** The engine's counters. */
    EngineStatistics statistics();
}
