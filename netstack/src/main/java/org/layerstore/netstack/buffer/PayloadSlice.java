// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.buffer;

import java.lang.foreign.MemorySegment;

/** Part of a {@link PayloadPiece} that one segment carries: a reference, never a copy. */
public record PayloadSlice(PayloadPiece piece, int offset, int length) {

    /** The bytes, as a view into the piece. */
    public MemorySegment bytes() {
        return piece.bytes().asSlice(offset, length);
    }
}
