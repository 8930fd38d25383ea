// SPDX-License-Identifier: Apache-2.0
package org.layerstore.netstack;

import java.time.Duration;

import org.layerstore.netstack.tcp.TcpConfig;
import org.layerstore.netstack.wire.Ipv4Address;

/**
 * The stack's address and limits.
 *
 * @param address      this stack's one IPv4 address
 * @param prefixLength its subnet's prefix length (0 to 32)
 * @param gateway      the next hop for addresses off the subnet, or null for none
 * @param arpLifetime  how long an ARP translation is used before it must be learnt again
 * @param arpRetry     least time between two ARP requests for one address
 * @param arpCapacity  most translations kept
 * @param tcp          the TCP server's settings
 */
public record StackConfig(Ipv4Address address, int prefixLength, Ipv4Address gateway, Duration arpLifetime,
        Duration arpRetry, int arpCapacity, TcpConfig tcp) {

    public StackConfig {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length must be 0 to 32: " + prefixLength);
        }
        if (gateway != null && !address.sameSubnet(gateway, prefixLength)) {
            throw new IllegalArgumentException("gateway " + gateway + " is not on " + address + "/" + prefixLength);
        }
    }

    /** {@code address/prefixLength} without a gateway, default ARP and TCP settings. */
    public static StackConfig of(Ipv4Address address, int prefixLength) {
        return new StackConfig(address, prefixLength, null, Duration.ofSeconds(60), Duration.ofSeconds(1), 1024,
                TcpConfig.defaults());
    }

    /** The same settings with {@code newGateway} (null: none) as the next hop off the subnet. */
    public StackConfig withGateway(Ipv4Address newGateway) {
        return new StackConfig(address, prefixLength, newGateway, arpLifetime, arpRetry, arpCapacity, tcp);
    }

    public StackConfig withTcp(TcpConfig tcpConfig) {
        return new StackConfig(address, prefixLength, gateway, arpLifetime, arpRetry, arpCapacity, tcpConfig);
    }
}
