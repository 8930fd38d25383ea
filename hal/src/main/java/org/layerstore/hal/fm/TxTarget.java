// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.fm;

import java.nio.charset.StandardCharsets;

import org.layerstore.hal.bindings.hal.hal_h;

/**
 * Where a port's frames go on the emulated backend: a Linux interface (whole Ethernet frames leave on it
 * and frames arriving on it are the port's receive path, see {@link FrameManager#receiveOn}) and/or a pcap
 * file (whole Ethernet frames). The pcap descriptor is borrowed: the caller keeps it open while the port is
 * bound and closes it after; the interface's socket is the portal's own. On the board the port's MAC is the
 * target and this is not used.
 *
 * @param pcapFd an empty file opened for writing, or -1
 * @param networkInterface an existing interface with no IP address of its own (a veth end), or null; the
 *     emulator opens it with AF_PACKET, which needs CAP_NET_RAW
 */
public record TxTarget(int pcapFd, String networkInterface) {

    /** The longest interface name (IFNAMSIZ less its NUL). */
    public static final int INTERFACE_NAME_MAX = hal_h.LSH_IFNAME_SIZE() - 1;

    public TxTarget {
        if (pcapFd < 0 && networkInterface == null) {
            throw new IllegalArgumentException("a TX target needs an interface, a pcap file, or both");
        }
        if (networkInterface != null && (networkInterface.isEmpty()
                || networkInterface.getBytes(StandardCharsets.US_ASCII).length > INTERFACE_NAME_MAX
                || networkInterface.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("interface name '" + networkInterface + "' is not 1 to "
                    + INTERFACE_NAME_MAX + " characters");
        }
    }

    public static TxTarget pcap(int fd) {
        return new TxTarget(fd, null);
    }

    /** The Linux interface {@code name} as the port's wire. */
    public static TxTarget networkInterface(String name) {
        return new TxTarget(-1, name);
    }

    /** This target with a pcap file of every frame sent as well. */
    public TxTarget withPcap(int fd) {
        return new TxTarget(fd, networkInterface);
    }
}
