// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import java.io.IOException;

import org.layerstore.datapath.Availability;
import org.layerstore.datapath.OpenFile;
import org.layerstore.datapath.stats.EngineStatistics;

/**
 * One way of moving an upload's body from a connection into a file (the mirror of {@link TransmitEngine}).
 * Engines are shared and thread-safe; each upload gets its own {@link Receive}.
 */
public interface ReceiveEngine {

    String name();

    Availability availability();

    /**
     * Starts writing {@code length} bytes into {@code file} from {@code position}. The caller owns the file
     * (it writes into a temporary file and renames it when the upload is complete).
     */
    Receive open(OpenFile file, long position, long length) throws IOException;

    EngineStatistics statistics();
}
