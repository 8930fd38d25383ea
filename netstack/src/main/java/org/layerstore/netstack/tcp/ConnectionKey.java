// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.tcp;

import org.layerstore.netstack.wire.Ipv4Address;

/** A connection's identity at this stack's one address: the peer's address and port, our port. */
public record ConnectionKey(Ipv4Address remoteAddress, int remotePort, int localPort) {

    @Override
    public String toString() {
        return remoteAddress + ":" + remotePort + "->:" + localPort;
    }
}
