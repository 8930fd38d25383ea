// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.lang.foreign.MemorySegment;

/**
 * Memory registered for DMA with a portal.
 *
 * @param id the portal's id for the region
 * @param busBase the bus address of the first byte (in physical mode, later pages are wherever their
 *     frames are; in SMMU mode the whole range is contiguous from here)
 * @param range the registered memory; it must stay mapped (and, in physical mode, pinned) until the
 *     region is unregistered
 */
public record DmaRegion(int id, long busBase, MemorySegment range) {
}
