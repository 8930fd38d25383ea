// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

/**
 * A byte range of a file, the unit every transmit engine moves: {@code length} bytes starting at
 * {@code offset}. A range is always inside the file it was made for.
 */
public record FileRange(long offset, long length) {

    public FileRange {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset " + offset + ", length " + length);
        }
        if (offset + length < offset) {
            throw new IllegalArgumentException("range overflows: offset " + offset + ", length " + length);
        }
    }

    /** The whole of a file of {@code fileSize} bytes. */
    public static FileRange whole(long fileSize) {
        return new FileRange(0, fileSize);
    }

    /**
     * The range {@code [offset, offset + length)} of a file of {@code fileSize} bytes.
     *
     * @throws IllegalArgumentException when the range reaches past the end of the file
     */
    public static FileRange within(long offset, long length, long fileSize) {
        FileRange range = new FileRange(offset, length);
        if (range.end() > fileSize) {
            throw new IllegalArgumentException("range [" + offset + ", " + range.end() + ") is past the end of a "
                    + fileSize + "-byte file");
        }
        return range;
    }

    /** The offset one past the last byte. */
    public long end() {
        return offset + length;
    }
}
