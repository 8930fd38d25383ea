// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.buffer;

import java.lang.foreign.MemorySegment;

/**
 * Keeps received bytes past the call that handed them over, in the buffer they arrived in (the link's
 * {@code retainReceived}): during the handling of a frame, a piece over part of it, or null when the
 * bytes cannot be kept there and must be copied.
 */
@FunctionalInterface
public interface ReceiveRetainer {

    PayloadPiece retain(MemorySegment bytes);
}
