// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLConnection;
import java.nio.file.Path;
import java.util.Objects;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentTypesTest {

    /** The cache keyed by extension (the empty one for names without a dot) answers as the JDK's table does. */
    @ParameterizedTest
    @ValueSource(strings = {"README", "0", "a#b", "x.txt", "photo.JPG", "page.html", "archive.tar.gz", "notes.unknownext",
            "README", "a#b"})
    void everyNameGetsTheTypeTheJdkGuessesForIt(String name) {
        String jdk = Objects.requireNonNullElse(URLConnection.guessContentTypeFromName(name), "application/octet-stream");
        assertEquals(jdk, ContentTypes.of(Path.of("/share", name)));
    }
}
