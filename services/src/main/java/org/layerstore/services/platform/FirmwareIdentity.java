// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The installed firmware as the running system states it, for the dashboard and telemetry: the host name (the one
 * mDNS announces as {@code <host>.local}), the image's version and the A/B root slot it booted from. Each is empty
 * where the system does not say (a development host has no {@code rauc.slot=}).
 *
 * @param hostName the kernel's host name ({@code /proc/sys/kernel/hostname})
 * @param version  {@code IMAGE_VERSION} from {@code /etc/os-release} (os-release(5); the Yocto image's build and
 *                 the QEMU guest's image or bundle version), else its {@code VERSION_ID}
 * @param slot     the RAUC slot's boot name from the kernel command line ({@code rauc.slot=A}), set by the
 *                 boot partition's boot.scr
 */
public record FirmwareIdentity(String hostName, String version, String slot) {

    /** Reads the identity under {@code root} ({@code /} on the appliance, a fixture tree in tests). */
    public static FirmwareIdentity read(Path root) {
        String host = firstLine(root.resolve("proc/sys/kernel/hostname")).orElse("");
        List<String> osRelease = lines(root.resolve("etc/os-release"));
        String version = osReleaseValue(osRelease, "IMAGE_VERSION").or(() -> osReleaseValue(osRelease, "VERSION_ID"))
                .orElse("");
        String slot = firstLine(root.resolve("proc/cmdline")).flatMap(FirmwareIdentity::raucSlot).orElse("");
        return new FirmwareIdentity(host, version, slot);
    }

    /** The value of {@code rauc.slot=} among the kernel's space-separated parameters. */
    static Optional<String> raucSlot(String cmdline) {
        for (String parameter : cmdline.strip().split("\\s+")) {
            if (parameter.startsWith("rauc.slot=") && parameter.length() > "rauc.slot=".length()) {
                return Optional.of(parameter.substring("rauc.slot=".length()));
            }
        }
        return Optional.empty();
    }

    /** os-release(5): KEY=value lines, the value optionally in single or double quotes; '#' starts a comment. */
    static Optional<String> osReleaseValue(List<String> lines, String key) {
        for (String line : lines) {
            if (!line.startsWith(key + "=")) {
                continue;
            }
            String value = line.substring(key.length() + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1);
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        return Optional.empty();
    }

    private static Optional<String> firstLine(Path file) {
        return lines(file).stream().findFirst().map(String::strip).filter(s -> !s.isEmpty());
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
