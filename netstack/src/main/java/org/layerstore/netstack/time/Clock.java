// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.time;

/** The stack's time source, in nanoseconds from an arbitrary origin; tests inject a manual one. */
@FunctionalInterface
public interface Clock {

    long nanos();

    /** The monotonic system clock. */
    static Clock system() {
        return System::nanoTime;
    }
}
