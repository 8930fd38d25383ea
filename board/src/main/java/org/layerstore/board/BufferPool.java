// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

/**
 * A buffer pool the datapath seeds (BMan pool on the silicon, a software pool in the emulator).
 *
 * @param name       what the pool holds, e.g. {@code sg-tables}
 * @param bufferSize the size of each buffer in bytes
 * @param count      how many buffers the pool is seeded with
 */
public record BufferPool(String name, int bufferSize, int count) {

    public BufferPool {
        if (name == null || name.isBlank()) {
            throw new BoardException("a buffer pool needs a name");
        }
        if (bufferSize <= 0 || count <= 0) {
            throw new BoardException("buffer pool " + name + ": bufferSize and count must be positive, got "
                    + bufferSize + " and " + count);
        }
    }
}
