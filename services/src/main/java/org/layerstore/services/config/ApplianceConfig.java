// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The appliance's whole configuration, as read from {@code layerstore.yaml}: every field has a default
 * in code, so an empty file (or none) is a valid configuration. See docs/configuration.md.
 *
 * @param stateDir where the appliance keeps what must outlive a restart (the WebDAV locks); null keeps it in
 *                 memory only ({@code serve} always names one: its {@code --state-dir} default)
 * @param offload  the offload port (the user-space TCP/IP stack on its own link); null: none
 */
public record ApplianceConfig(HttpSettings http, AuthSettings auth, List<ShareSettings> shares, MqttSettings mqtt,
        BoardSettings board, FrameManagerSettings frameManager, Path stateDir, OffloadSettings offload) {

    public ApplianceConfig {
        http = http == null ? HttpSettings.defaults() : http;
        auth = auth == null ? AuthSettings.defaults() : auth;
        shares = shares == null ? List.of() : List.copyOf(shares);
        mqtt = mqtt == null ? MqttSettings.defaults() : mqtt;
        board = board == null ? BoardSettings.defaults() : board;
        frameManager = frameManager == null ? FrameManagerSettings.defaults() : frameManager;
        if (auth.usersFile() != null && mqtt.usesEmbeddedBroker() && !mqtt.embedded().loopbackOnly()) {
            // The embedded broker has no sign-in: on the network it would let anyone read the telemetry and
            // publish in the appliance's name, around the users that guard everything else.
            throw new ConfigException("mqtt.embedded.bind " + mqtt.embedded().bind() + " is not a loopback address, "
                    + "but the embedded broker lets any client in, and auth.usersFile is set: leave mqtt.embedded.bind "
                    + "out (the dashboard reaches the broker through /_dashboard/mqtt with the users' passwords), "
                    + "or run a broker with its own passwords (Mosquitto) and set mqtt.broker");
        }
        long distinct = shares.stream().map(ShareSettings::name).distinct().count();
        if (distinct != shares.size()) {
            throw new ConfigException("share names must be unique: " + shares.stream().map(ShareSettings::name).toList());
        }
    }

    /** No offload port. */
    public ApplianceConfig(HttpSettings http, AuthSettings auth, List<ShareSettings> shares, MqttSettings mqtt,
            BoardSettings board, FrameManagerSettings frameManager, Path stateDir) {
        this(http, auth, shares, mqtt, board, frameManager, stateDir, null);
    }

    /** No state directory: locks in memory only. */
    public ApplianceConfig(HttpSettings http, AuthSettings auth, List<ShareSettings> shares, MqttSettings mqtt,
            BoardSettings board, FrameManagerSettings frameManager) {
        this(http, auth, shares, mqtt, board, frameManager, null);
    }

    /** The board and frame-manager settings at their defaults (detect the board, backend auto). */
    public ApplianceConfig(HttpSettings http, AuthSettings auth, List<ShareSettings> shares, MqttSettings mqtt) {
        this(http, auth, shares, mqtt, null, null);
    }

    public static ApplianceConfig defaults() {
        return new ApplianceConfig(null, null, null, null);
    }

    public ApplianceConfig withHttp(HttpSettings newHttp) {
        return new ApplianceConfig(newHttp, auth, shares, mqtt, board, frameManager, stateDir, offload);
    }

    public ApplianceConfig withAuth(AuthSettings newAuth) {
        return new ApplianceConfig(http, newAuth, shares, mqtt, board, frameManager, stateDir, offload);
    }

    public ApplianceConfig withShares(List<ShareSettings> newShares) {
        return new ApplianceConfig(http, auth, newShares, mqtt, board, frameManager, stateDir, offload);
    }

    public ApplianceConfig withMqtt(MqttSettings newMqtt) {
        return new ApplianceConfig(http, auth, shares, newMqtt, board, frameManager, stateDir, offload);
    }

    public ApplianceConfig withBoard(BoardSettings newBoard) {
        return new ApplianceConfig(http, auth, shares, mqtt, newBoard, frameManager, stateDir, offload);
    }

    public ApplianceConfig withFrameManager(FrameManagerSettings newFrameManager) {
        return new ApplianceConfig(http, auth, shares, mqtt, board, newFrameManager, stateDir, offload);
    }

    public ApplianceConfig withStateDir(Path newStateDir) {
        return new ApplianceConfig(http, auth, shares, mqtt, board, frameManager, newStateDir, offload);
    }

    public ApplianceConfig withOffload(OffloadSettings newOffload) {
        return new ApplianceConfig(http, auth, shares, mqtt, board, frameManager, stateDir, newOffload);
    }
}
