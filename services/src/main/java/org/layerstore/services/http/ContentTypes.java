// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Content-Type of a file, guessed from its name's extension by the JDK's table; unknown names are
 * octet streams. Each extension is looked up once: the JDK's lookup is too slow to run per request.
 */
public final class ContentTypes {

    private static final String UNKNOWN = "application/octet-stream";
    /** Bounds the cache against clients inventing extensions; past it, lookups are not remembered. */
    private static final int MAX_EXTENSIONS = 1024;
    private static final Map<String, String> BY_EXTENSION = new ConcurrentHashMap<>();

    private ContentTypes() {
    }

    public static String of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        // A name without a dot has the JDK's type of the empty extension, whatever the name: cached as "".
        String extension = dot < 0 ? "" : name.substring(dot);
        String known = BY_EXTENSION.get(extension);
        if (known != null) {
            return known;
        }
        String type = guess("file" + extension);
        if (BY_EXTENSION.size() < MAX_EXTENSIONS) {
            BY_EXTENSION.put(extension, type);
        }
        return type;
    }

    private static String guess(String name) {
        String type = URLConnection.guessContentTypeFromName(name);
        return type == null ? UNKNOWN : type;
    }
}
