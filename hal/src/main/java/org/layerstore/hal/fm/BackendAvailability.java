// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/** Whether a frame-manager backend can be used on this host, and why (or why not). */
public record BackendAvailability(String backend, boolean available, String reason) {

    static BackendAvailability yes(String backend, String reason) {
        return new BackendAvailability(backend, true, reason);
    }

    static BackendAvailability no(String backend, String reason) {
        return new BackendAvailability(backend, false, reason);
    }
}
