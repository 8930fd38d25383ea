// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board.sensors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts of /proc/self/mountinfo (proc(5)): for a path, the mount that holds it is the one with the longest
 * mount point containing the path, the latest such line winning when mounts are stacked on one mount point.
 */
final class MountTable {

    /** One mountinfo line: fields 3 (MAJ:MIN), 5 (mount point) and, after the "-" separator, type and source. */
    record Mount(String majorMinor, String mountPoint, String fsType, String source) {
    }

    private final List<Mount> mounts;

    private MountTable(List<Mount> mounts) {
        this.mounts = mounts;
    }

    static MountTable read(Path mountinfo) {
        try {
            return parse(Files.readAllLines(mountinfo), mountinfo.toString());
        } catch (IOException e) {
            throw new SensorException("cannot read " + mountinfo + ": " + e.getMessage(), e);
        }
    }

    static MountTable parse(List<String> lines, String source) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 7 || separator < 6 || separator + 2 >= fields.length) {
                throw new SensorException(source + ": malformed mountinfo line '" + line + "'");
            }
            mounts.add(new Mount(fields[2], unescape(fields[4]), fields[separator + 1], unescape(fields[separator + 2])));
        }
        return new MountTable(mounts);
    }

    Optional<Mount> holding(Path absolutePath) {
        Mount best = null;
        int bestDepth = -1;
        for (Mount mount : mounts) {
            Path mountPoint = Path.of(mount.mountPoint());
            if (absolutePath.startsWith(mountPoint) && mountPoint.getNameCount() >= bestDepth) {
                best = mount;
                bestDepth = mountPoint.getNameCount();
            }
        }
        return Optional.ofNullable(best);
    }

    /** mountinfo escapes space, tab, newline and backslash as three-digit octal (\040). */
    static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
