// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath;

/**
 * Whether a capability can be used here, and if not, why: the answer {@code auto} logs and tests print
 * when they skip.
 */
public record Availability(boolean available, String reason) {

    public Availability {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an availability states its reason");
        }
    }

    public static Availability available(String why) {
        return new Availability(true, why);
    }

    public static Availability unavailable(String why) {
        return new Availability(false, why);
    }

    @Override
    public String toString() {
        return (available ? "available: " : "unavailable: ") + reason;
    }
}
