// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

/**
 * Physically contiguous bytes of a file range: {@code length} bytes at physical {@code address}, holding
 * the file's bytes from {@code fileOffset}.
 */
public record PhysicalRun(long address, long length, long fileOffset) {

    public PhysicalRun {
        if (length <= 0) {
            throw new IllegalArgumentException("empty physical run at 0x" + Long.toHexString(address));
        }
    }

    public long end() {
        return address + length;
    }
}
