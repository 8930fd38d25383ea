// SPDX-License-Identifier: Apache-2.0
package org.layerstore.datapath.frames;

import java.net.Inet4Address;
import java.util.Arrays;

/**
 * The connection a frame belongs to, as its headers name it: Ethernet addresses, IPv4 addresses, TCP
 * ports, the sequence number of the first payload byte, the acknowledgement and window to advertise, and
 * the MSS the peer accepted.
 */
public record TcpFlow(byte[] sourceMac, byte[] destinationMac, Inet4Address source, Inet4Address destination,
                      int sourcePort, int destinationPort, int initialSequence, int acknowledgement, int window, int mss) {

    public TcpFlow {
        if (sourceMac.length != 6 || destinationMac.length != 6) {
            throw new IllegalArgumentException("MAC addresses are 6 bytes");
        }
        if (sourcePort <= 0 || sourcePort > 0xFFFF || destinationPort <= 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("TCP ports " + sourcePort + " -> " + destinationPort + " outside [1, 65535]");
        }
        if (window < 0 || window > 0xFFFF) {
            throw new IllegalArgumentException("TCP window " + window + " outside [0, 65535]");
        }
        if (mss <= 0) {
            throw new IllegalArgumentException("MSS " + mss + " is not positive");
        }
        sourceMac = sourceMac.clone();
        destinationMac = destinationMac.clone();
    }

    @Override
    public byte[] sourceMac() {
        return sourceMac.clone();
    }

    @Override
    public byte[] destinationMac() {
        return destinationMac.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpFlow f && Arrays.equals(sourceMac, f.sourceMac) && Arrays.equals(destinationMac, f.destinationMac)
                && source.equals(f.source) && destination.equals(f.destination) && sourcePort == f.sourcePort
                && destinationPort == f.destinationPort && initialSequence == f.initialSequence
                && acknowledgement == f.acknowledgement && window == f.window && mss == f.mss;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(sourceMac) * 31 + source.hashCode() * 17 + sourcePort * 7 + destinationPort;
    }

    @Override
    public String toString() {
        return source.getHostAddress() + ":" + sourcePort + " -> " + destination.getHostAddress() + ":" + destinationPort
                + " seq " + Integer.toUnsignedString(initialSequence) + " mss " + mss;
    }
}
