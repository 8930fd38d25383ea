// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.util.Locale;

/**
 * The operating system and CPU architecture this process runs on, named as the native libraries are
 * packaged ({@code linux-x86_64}, {@code linux-aarch64}).
 */
public record HostPlatform(String os, String arch) {

    /** The platform of the running JVM. */
    public static HostPlatform current() {
        return of(System.getProperty("os.name"), System.getProperty("os.arch"));
    }

    /** Normalizes the JVM's {@code os.name} and {@code os.arch} values. */
    public static HostPlatform of(String osName, String osArch) {
        String os = osName.toLowerCase(Locale.ROOT).startsWith("linux") ? "linux" : osName.toLowerCase(Locale.ROOT);
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "x86-64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> osArch.toLowerCase(Locale.ROOT);
        };
        return new HostPlatform(os, arch);
    }

    public boolean isLinux() {
        return os.equals("linux");
    }

    /** The directory name under which native libraries for this platform are packaged. */
    public String nativeDirectory() {
        return os + "-" + arch;
    }

    @Override
    public String toString() {
        return nativeDirectory();
    }
}
