// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/** Whether a frame-manager backend can be used on this host, and why (or why not). */
public record Availability(String backend, boolean available, String reason) {

    static Availability yes(String backend, String reason) {
        return new Availability(backend, true, reason);
    }

    static Availability no(String backend, String reason) {
        return new Availability(backend, false, reason);
    }
}
