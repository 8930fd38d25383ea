package org.layerstore.services.http;

import java.net.URLConnection;
import java.nio.file.Path;

/** The Content-Type of a file, guessed from its name by the JDK's table; unknown names are octet streams. */
public final class ContentTypes {

    private ContentTypes() {
    }

    public static String of(Path file) {
        String type = URLConnection.guessContentTypeFromName(file.getFileName().toString());
        return type == null ? "application/octet-stream" : type;
    }
}
