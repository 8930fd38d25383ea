// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.engine;

/**
 * Told of each frame the frame manager (or its emulation) confirmed with a DMA error: the hardware could not
 * read a page the frame pointed at. Called on the thread that reaps confirmations, under the portal lock, so
 * an implementation must return at once (queue the news, never block) and never throw.
 */
@FunctionalInterface
public interface DmaErrorListener {

    /** Nobody listens. */
    DmaErrorListener NONE = (engine, detail) -> {
    };

    /** {@code detail} names the frame, the file offset and the status bits. */
    void dmaError(String engine, String detail);
}
