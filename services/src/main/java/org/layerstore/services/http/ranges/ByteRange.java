// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.ranges;

/** A satisfiable byte range of a representation: {@code first} to {@code last} inclusive, as HTTP counts. */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("byte range " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The Content-Range value for this range of a representation of {@code total} bytes. */
    public String contentRange(long total) {
        return "bytes " + first + "-" + last + "/" + total;
    }

    boolean overlaps(ByteRange other) {
        return first <= other.last && other.first <= last;
    }
}
