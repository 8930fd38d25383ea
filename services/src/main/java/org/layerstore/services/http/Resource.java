// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A path inside a share, named by its decoded segments, existing or not. The WebDAV layers key locks
 * and URLs on {@link #key()}, the file layers use {@link #path()}.
 */
public record Resource(Share share, List<String> segments, Path path) {

    public Resource {
        segments = List.copyOf(segments);
    }

    public boolean exists() {
        return Files.exists(path);
    }

    public boolean isDirectory() {
        return Files.isDirectory(path);
    }

    public boolean isShareRoot() {
        return segments.isEmpty();
    }

    /** The path inside its share ({@code /} for the share itself), as telemetry events name it. */
    public String pathInShare() {
        return "/" + String.join("/", segments);
    }

    /** The lock-table key: share name and segments, directories without a trailing slash. */
    public String key() {
        return "/" + share.name() + (segments.isEmpty() ? "" : "/" + String.join("/", segments));
    }

    /** The URL path, percent-encoded; a directory's ends with '/'. */
    public String href(boolean directory) {
        StringBuilder b = new StringBuilder("/").append(PathSegments.encode(share.name()));
        for (String s : segments) {
            b.append('/').append(PathSegments.encode(s));
        }
        if (directory) {
            b.append('/');
        }
        return b.toString();
    }

    public String href() {
        return href(isDirectory());
    }

    public Resource parent() {
        return new Resource(share, segments.subList(0, Math.max(0, segments.size() - 1)), path.getParent());
    }

    public Resource child(String name) {
        List<String> s = new ArrayList<>(segments);
        s.add(name);
        return new Resource(share, s, path.resolve(name));
    }

    public String name() {
        return segments.isEmpty() ? share.name() : segments.getLast();
    }
}
