// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The debug check of a portal's driver side (its EQCR, DQRR and MR): like a QMan software portal affine to one
 * core, it is driven by one thread at a time, with no lock: a portal per thread, as DPDK has one per lcore. Used
 * in {@code assert} statements, so it costs nothing unless assertions are on (-ea, as in the tests); a second
 * thread entering while another is inside fails with an {@link AssertionError} naming both.
 */
final class OneThreadAtATime {

    private final AtomicReference<Thread> inside = new AtomicReference<>();

    /** Marks the calling thread inside; true, or an {@link AssertionError} when another thread is. */
    boolean enter() {
        Thread me = Thread.currentThread();
        Thread other = inside.compareAndExchange(null, me);
        if (other != null && other != me) {
            throw new AssertionError("the portal's driver side is used by thread " + me.getName() + " while thread "
                    + other.getName() + " is inside a call: a portal serves one thread at a time (open one per thread)");
        }
        return true;
    }

    /** Marks the calling thread outside again; always true. */
    boolean leave() {
        inside.compareAndSet(Thread.currentThread(), null);
        return true;
    }
}
