// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One network interface of /sys/class/net: link state and the kernel's counters.
 *
 * @param name      the interface name
 * @param operstate RFC 2863 state as the kernel reports it (up, down, unknown, dormant, ...)
 * @param speedMbps link speed in Mbit/s; null when the kernel has none (link down, virtual devices)
 * @param mtu       the MTU in bytes; null when unreadable
 * @param counters  statistics/* counters
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NicReading(String name, String operstate, Long speedMbps, Long mtu, NicCounters counters) {

    public boolean up() {
        return operstate.equals("up");
    }
}
