// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.layerstore.netstack.wire.Ipv4Address;

/** The stack's addresses as Java's socket addresses, which Netty's channels report. */
final class Addresses {

    private Addresses() {
    }

    static InetSocketAddress of(Ipv4Address address, int port) {
        int v = address.value();
        byte[] bytes = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }
}
