// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import org.layerstore.hal.bindings.libc.libc_h;

/** The splice(2) flags for {@link Libc#splice}, from the generated bindings. */
public final class SpliceFlags {

    /** A hint to move pages instead of copying them. */
    public static final int MOVE = libc_h.SPLICE_F_MOVE();
    /** The pipe side does not block (the other side's own mode still applies). */
    public static final int NON_BLOCKING = libc_h.SPLICE_F_NONBLOCK();
    /** More data follows (as MSG_MORE on a socket). */
    public static final int MORE = libc_h.SPLICE_F_MORE();

    private SpliceFlags() {
    }
}
