// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The root node of the running kernel's device tree, as exposed at {@code /proc/device-tree} (a link to
 * {@code /sys/firmware/devicetree/base}). Properties are NUL-terminated strings; {@code compatible} is a list
 * of them, most specific first.
 *
 * @param directory  where the root node was found
 * @param compatible the root node's compatible strings
 * @param model      the root node's model, empty when absent
 */
public record DeviceTree(Path directory, List<String> compatible, String model) {

    /** Where the device tree appears under a root directory, in the order they are tried. */
    static final List<String> LOCATIONS = List.of("proc/device-tree", "sys/firmware/devicetree/base");

    public DeviceTree {
        compatible = List.copyOf(compatible);
    }

    /** The device tree under {@code root} (normally "/"), or empty on hosts without one (x86 ACPI machines). */
    public static Optional<DeviceTree> read(Path root) {
        for (String location : LOCATIONS) {
            Path directory = root.resolve(location);
            Path compatibleFile = directory.resolve("compatible");
            if (Files.isRegularFile(compatibleFile)) {
                return Optional.of(new DeviceTree(directory, strings(compatibleFile), model(directory)));
            }
        }
        return Optional.empty();
    }

    private static String model(Path directory) {
        try {
            List<String> model = strings(directory.resolve("model"));
            return model.isEmpty() ? "" : model.getFirst();
        } catch (BoardException e) {
            if (e.getCause() instanceof NoSuchFileException) {
                return "";
            }
            throw e;
        }
    }

    /** Splits a device-tree string-list property at its NUL terminators. */
    static List<String> strings(Path property) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(property);
        } catch (IOException e) {
            throw new BoardException("cannot read device-tree property " + property + ": " + e, e);
        }
        List<String> strings = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == 0) {
                if (i > start) {
                    strings.add(new String(bytes, start, i - start, StandardCharsets.US_ASCII));
                }
                start = i + 1;
            }
        }
        return strings;
    }
}
