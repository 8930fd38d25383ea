// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

import org.layerstore.datapath.Availability;
import org.layerstore.hal.libc.FdPair;
import org.layerstore.hal.libc.Libc;
import org.layerstore.hal.libc.NativeCallException;

/** The pipes the splice engines move pages through. */
final class Pipes {

    /** Pipe capacity asked for: 1 MiB is the default pipe-max-size, so unprivileged processes get it too. */
    static final int CAPACITY = 1024 * 1024;

    private static final Availability AVAILABILITY = probe();

    private Pipes() {
    }

    /** A non-blocking pipe of (at least) {@link #CAPACITY} bytes, or the default 64 KiB if the kernel refuses. */
    static FdPair open() {
        FdPair pipe = Libc.nonBlockingPipe();
        try {
            Libc.setPipeSize(pipe.second(), CAPACITY);
        } catch (NativeCallException refusedLarger) {
            // EPERM above pipe-max-size for unprivileged processes: the default capacity still works.
        }
        return pipe;
    }

    /** Whether pipes and splice can be used here. */
    static Availability availability() {
        return AVAILABILITY;
    }

    private static Availability probe() {
        try (FdPair pipe = open()) {
            return Availability.available("splice(2) through a pipe of " + Libc.pipeSize(pipe.second())
                    + " bytes");
        } catch (NativeCallException | LinkageError | IllegalStateException e) {
            return Availability.unavailable("pipes cannot be created: " + e.getMessage());
        }
    }
}
