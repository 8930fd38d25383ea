// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

/**
 * An FMan TX port as the usdpaa backend reaches it: the frame queue the port dequeues from and the
 * port's QMan channel. Both are the device tree's (the USDPAA variant's {@code fsl,dpa-ethernet-init}
 * node: {@code fsl,qman-frame-queues-tx}; the port's {@code fsl,qman-channel-id}), not allocated by the
 * kernel, so the board profile has to carry them per port.
 *
 * @param port    the FMan port id (device-tree cell-index), as {@link FrameManagerConfig#ports()} names it
 * @param txFqid  its TX frame queue (24 bits)
 * @param channel its QMan channel (on QMan rev 3 FMan's channels are 0x800 up)
 */
public record UsdpaaTxPort(int port, int txFqid, int channel) {

    public UsdpaaTxPort {
        if (txFqid <= 0 || txFqid > 0xFFFFFF) {
            throw new IllegalArgumentException("TX FQID " + txFqid + " of port " + port + " is outside 1..0xffffff");
        }
        if (channel < 0 || channel > 0xFFFF) {
            throw new IllegalArgumentException("channel " + channel + " of port " + port + " is outside 0..0xffff");
        }
    }
}
