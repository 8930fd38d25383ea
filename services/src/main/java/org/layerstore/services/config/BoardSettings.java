// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Which board profile the appliance runs with (docs/configuration.md, docs/board-bringup.md).
 *
 * @param profile     a profile id ({@code ls1046ardb}, {@code ls1043ardb}, ...) to use instead of detecting the board,
 *                    or {@value #AUTO} (default) to detect it from the device tree
 * @param profilesDir a directory of extra profiles ({@code *.yaml}) that add boards or replace built-in ones of the
 *                    same id (default {@value #DEFAULT_PROFILES_DIR}; a missing directory adds nothing)
 */
public record BoardSettings(String profile, Path profilesDir) {

    public static final String AUTO = "auto";
    public static final String DEFAULT_PROFILES_DIR = "/etc/layerstore/boards";
    private static final Pattern PROFILE_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public BoardSettings {
        profile = profile == null || profile.isBlank() ? AUTO : profile.strip();
        if (!PROFILE_ID.matcher(profile).matches()) {
            throw new ConfigException("board.profile must be 'auto' or a profile id (lower-case letters, digits, '-'), got '"
                    + profile + "'");
        }
        profilesDir = profilesDir == null ? Path.of(DEFAULT_PROFILES_DIR) : profilesDir;
    }

    public static BoardSettings defaults() {
        return new BoardSettings(null, null);
    }

    public BoardSettings withProfile(String id) {
        return new BoardSettings(id, profilesDir);
    }

    public BoardSettings withProfilesDir(Path directory) {
        return new BoardSettings(profile, directory);
    }

    /** Whether the board is detected rather than named. */
    public boolean detects() {
        return profile.equals(AUTO);
    }
}
