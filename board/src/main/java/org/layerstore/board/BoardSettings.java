package org.layerstore.board;

import java.nio.file.Path;

/**
 * The {@code board:} section of the appliance configuration: which profile to run (or detect), and where operators
 * keep extra profiles.
 *
 * @param profile     a profile id, or {@value BoardDetector#AUTO} (the default) to detect the board
 * @param profilesDir a directory of extra {@code *.yaml} profiles; default {@value #DEFAULT_PROFILES_DIR}
 */
public record BoardSettings(String profile, Path profilesDir) {

    public static final String DEFAULT_PROFILES_DIR = "/etc/layerstore/boards";

    public BoardSettings {
        profile = profile == null || profile.isBlank() ? BoardDetector.AUTO : profile;
        profilesDir = profilesDir == null ? Path.of(DEFAULT_PROFILES_DIR) : profilesDir;
    }

    public static BoardSettings defaults() {
        return new BoardSettings(null, null);
    }

    /** Detects (or takes) the board of the system whose device tree, /proc and /sys are below {@code sysroot}. */
    public BoardDetection detect(Path sysroot) {
        return new BoardDetector(sysroot, ProfileCatalog.builtInPlus(profilesDir)).detect(profile);
    }
}
