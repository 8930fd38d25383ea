// SPDX-License-Identifier: Apache-2.0
package org.layerstore.board;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The fixture trees under src/test/resources/fixtures, each a root directory as a board would show it. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root(String name) {
        URL url = Fixtures.class.getResource("/fixtures/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no fixture tree named " + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
