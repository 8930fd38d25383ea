// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import org.layerstore.netstack.wire.Ipv4Address;
import org.layerstore.netstack.wire.MacAddress;

/**
 * The offload port: the shares served a second time, at the kernel listener's HTTP port, by the
 * user-space TCP/IP stack on a link of its own (docs/netstack.md, docs/configuration.md). The kernel
 * listener keeps the management traffic (dashboard, telemetry, anything on the kernel's addresses).
 *
 * @param link     the Linux interface the stack owns (AF_PACKET): it must exist and have no IPv4 address
 * @param address  the stack's address and prefix, {@code 192.0.2.2/24}
 * @param gateway  the next hop for addresses off that subnet; absent: none (only the subnet is served)
 * @param mac      the stack's MAC address; absent: the interface's. On an AF_PACKET link it must be the
 *                 interface's (the kernel delivers only frames to that MAC)
 * @param fmanPort the frame-manager port the stack's link uses; absent: the board's first
 * @param wire     {@code frame-manager} (the stack's frames go through an FMan port, file bodies by
 *                 physical address) or {@code packet-socket} (AF_PACKET, the kernel copies each frame);
 *                 absent: the frame manager when it is usable here, else AF_PACKET, saying why
 */
public record OffloadSettings(String link, String address, String gateway, String mac, Integer fmanPort, String wire) {

    public static final String WIRE_FRAME_MANAGER = "frame-manager";
    public static final String WIRE_PACKET_SOCKET = "packet-socket";

    public OffloadSettings {
        if (link == null || link.isBlank()) {
            throw new ConfigException("offload.link is required: the interface the user-space stack owns");
        }
        if (address == null || address.isBlank()) {
            throw new ConfigException("offload.address is required: the stack's ADDRESS/PREFIX, e.g. 192.0.2.2/24");
        }
        link = link.strip();
        address = address.strip();
        int slash = address.indexOf('/');
        if (slash < 0) {
            throw new ConfigException("offload.address must be ADDRESS/PREFIX, e.g. 192.0.2.2/24, got '" + address + "'");
        }
        ipv4(address.substring(0, slash), "offload.address");
        int prefix = prefixOf(address);
        if (prefix < 1 || prefix > 30) {
            throw new ConfigException("offload.address prefix must be 1 to 30, got " + prefix);
        }
        if (gateway != null) {
            gateway = gateway.strip();
            if (!ipv4(gateway, "offload.gateway").sameSubnet(ipv4(address.substring(0, slash), "offload.address"), prefix)) {
                throw new ConfigException("offload.gateway " + gateway + " is not on " + address);
            }
        }
        if (mac != null) {
            mac = mac.strip();
            try {
                MacAddress.parse(mac);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("offload.mac must be six hex pairs, e.g. 02:00:5e:10:00:01, got '" + mac + "'", e);
            }
        }
        if (fmanPort != null && (fmanPort < 0 || fmanPort > 15)) {
            throw new ConfigException("offload.fmanPort must be 0 to 15, got " + fmanPort);
        }
        if (wire != null) {
            wire = wire.strip();
            if (!wire.equals(WIRE_FRAME_MANAGER) && !wire.equals(WIRE_PACKET_SOCKET)) {
                throw new ConfigException("offload.wire must be " + WIRE_FRAME_MANAGER + " or " + WIRE_PACKET_SOCKET
                        + ", got '" + wire + "'");
            }
        }
    }

    /** The link and address alone. */
    public OffloadSettings(String link, String address) {
        this(link, address, null, null, null, null);
    }

    /** These settings on {@code newWire}. */
    public OffloadSettings withWire(String newWire) {
        return new OffloadSettings(link, address, gateway, mac, fmanPort, newWire);
    }

    public Ipv4Address ipv4Address() {
        return ipv4(address.substring(0, address.indexOf('/')), "offload.address");
    }

    public int prefixLength() {
        return prefixOf(address);
    }

    /** The gateway, or null. */
    public Ipv4Address gatewayAddress() {
        return gateway == null ? null : ipv4(gateway, "offload.gateway");
    }

    /** The MAC asked for, or null for the interface's. */
    public MacAddress macAddress() {
        return mac == null ? null : MacAddress.parse(mac);
    }

    private static int prefixOf(String address) {
        String prefix = address.substring(address.indexOf('/') + 1);
        try {
            return Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            throw new ConfigException("offload.address prefix must be a number, got '" + prefix + "'", e);
        }
    }

    private static Ipv4Address ipv4(String text, String key) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + " must be an IPv4 address, got '" + text + "'", e);
        }
    }
}
