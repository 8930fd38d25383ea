// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

/** The counters of /sys/class/net/IFACE/statistics the appliance reports; an unreadable one reads as -1. */
public record NicCounters(long rxBytes, long txBytes, long rxPackets, long txPackets, long rxErrors, long txErrors,
        long rxDropped, long txDropped) {
}
