// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

/**
 * One Ethernet MAC of the frame manager, as the board wires it.
 *
 * @param name         the MAC's name in NXP's documentation (MAC1..MAC10)
 * @param node         the device-tree node under the fman, e.g. {@code ethernet@e4000}
 * @param speedMbps    the MAC's line rate in Mbit/s
 * @param phyInterface the device tree's phy-connection-type, e.g. rgmii-id, sgmii, qsgmii, xgmii
 */
public record FmanPort(String name, String node, int speedMbps, String phyInterface) {

    public FmanPort {
        if (name == null || name.isBlank() || node == null || node.isBlank()) {
            throw new BoardException("an FMan port needs a name and a device-tree node");
        }
        if (speedMbps <= 0) {
            throw new BoardException("FMan port " + name + ": speedMbps must be positive, got " + speedMbps);
        }
        if (phyInterface == null || phyInterface.isBlank()) {
            throw new BoardException("FMan port " + name + ": phyInterface is required");
        }
    }
}
