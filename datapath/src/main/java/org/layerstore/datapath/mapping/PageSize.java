// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.mapping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The kernel's base page size, the unit of mapping and of {@code /proc/self/pagemap}. It is 4 KiB on
 * x86-64 but 4, 16 or 64 KiB on arm64 kernels, so it is read from the auxiliary vector
 * ({@code AT_PAGESZ} in {@code /proc/self/auxv}) rather than assumed.
 */
public final class PageSize {

    private static final long AT_NULL = 0;
    private static final long AT_PAGESZ = 6;
    private static final int SYSTEM = readSystemPageSize();

    private PageSize() {
    }

    /** The running kernel's page size in bytes. */
    public static int system() {
        return SYSTEM;
    }

    /** {@code value} rounded down to a multiple of {@code pageSize} (a power of two). */
    public static long alignDown(long value, long pageSize) {
        return value & -pageSize;
    }

    /** {@code value} rounded up to a multiple of {@code pageSize} (a power of two). */
    public static long alignUp(long value, long pageSize) {
        return (value + pageSize - 1) & -pageSize;
    }

    private static int readSystemPageSize() {
        try {
            ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
            while (auxv.remaining() >= 16) {
                long type = auxv.getLong();
                long value = auxv.getLong();
                if (type == AT_PAGESZ) {
                    if (value <= 0 || Long.bitCount(value) != 1) {
                        throw new IllegalStateException("AT_PAGESZ in /proc/self/auxv is " + value + ", not a power of two");
                    }
                    return Math.toIntExact(value);
                }
                if (type == AT_NULL) {
                    break;
                }
            }
            throw new IllegalStateException("/proc/self/auxv has no AT_PAGESZ entry");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page size from /proc/self/auxv (is /proc mounted?)", e);
        }
    }
}
