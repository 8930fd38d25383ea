// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.metrics;

/**
 * One network interface's counters since it came up, as the kernel (or the DPAA driver) reports them.
 *
 * @param name      interface name ({@code eth0}, {@code fm1-mac9}); letters, digits, '_' and '-'
 * @param rxBytes   bytes received
 * @param txBytes   bytes transmitted
 * @param rxPackets packets received
 * @param txPackets packets transmitted
 * @param rxErrors  receive errors
 * @param txErrors  transmit errors
 * @param rxDropped received packets dropped
 * @param txDropped packets dropped before transmission
 */
public record NicCounters(String name, long rxBytes, long txBytes, long rxPackets, long txPackets, long rxErrors,
        long txErrors, long rxDropped, long txDropped) {
}
