// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.link;

/**
 * Told of each frame a frame-manager link could not give the hardware intact: confirmed with a DMA error (the
 * hardware could not read a page), or refused because a pinned page moved. Called on the stack's event-loop
 * thread, so an implementation must return at once (queue the news, never block) and never throw.
 */
@FunctionalInterface
public interface DmaErrorListener {

    /** Nobody listens. */
    DmaErrorListener NONE = detail -> {
    };

    /** {@code detail} starts with "DMA error: " and names the port or the page, and the status. */
    void dmaError(String detail);
}
