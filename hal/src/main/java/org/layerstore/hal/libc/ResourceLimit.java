// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.libc;

import org.layerstore.hal.bindings.libc.libc_h;

/** A resource limit as {@code getrlimit} reports it; {@link #UNLIMITED} stands for RLIM_INFINITY. */
public record ResourceLimit(long soft, long hard) {

    public static final long UNLIMITED = libc_h.RLIM_INFINITY();

    /** RLIMIT_MEMLOCK: how many bytes this process may lock in memory (mlock). */
    public static ResourceLimit memlock() {
        return Libc.getrlimit(libc_h.RLIMIT_MEMLOCK());
    }

    public boolean softUnlimited() {
        return soft == UNLIMITED;
    }
}
