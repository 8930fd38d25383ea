// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

/** Whether the server is shutting down: new requests are then refused (503) and connections not kept. */
final class ServerState {

    private volatile boolean draining;

    boolean draining() {
        return draining;
    }

    void startDraining() {
        draining = true;
    }
}
