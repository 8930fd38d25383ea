// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sysfs attribute read as text. Attributes can exist and still fail to read (a down link's {@code speed}
 * gives EINVAL, a sleeping sensor's {@code temp} EAGAIN): such reads come back as {@link Value#error()}.
 */
final class SysfsFile {

    private SysfsFile() {
    }

    /** The attribute's text without trailing newline, or why it could not be read. */
    record Value(String text, String error) {

        boolean ok() {
            return error == null;
        }
    }

    static Value read(Path file) {
        try {
            return new Value(Files.readString(file).strip(), null);
        } catch (IOException e) {
            return new Value(null, describe(file, e));
        }
    }

    /** A counter or size; null when absent, unreadable or not a number. */
    static Long readLong(Path file) {
        Value value = read(file);
        if (!value.ok()) {
            return null;
        }
        try {
            return Long.parseLong(value.text());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String describe(Path file, IOException e) {
        String message = e.getMessage() == null || e.getMessage().equals(file.toString())
                ? e.getClass().getSimpleName() : e.getMessage();
        return "cannot read " + file + ": " + message;
    }
}
