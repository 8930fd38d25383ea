// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

/**
 * Two file descriptors created together: a pipe ({@code first} reads, {@code second} writes) or a
 * socket pair (both ends read and write). Closing the pair closes both; each fd is owned by the pair.
 */
public record FdPair(int first, int second) implements AutoCloseable {

    @Override
    public void close() {
        try {
            Libc.close(first);
        } finally {
            Libc.close(second);
        }
    }
}
