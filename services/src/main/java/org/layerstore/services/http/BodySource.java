// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.file.Path;

import org.layerstore.datapath.OpenFile;

/**
 * The file a response's body comes from, already open inside its share (never opened by name here: the
 * name may lead elsewhere by now). Whoever takes it owns the open file; one never taken (a 304, a HEAD, an
 * error) is closed with this object, so no outcome leaks a descriptor.
 */
final class BodySource implements AutoCloseable {

    private final Path path;
    private OpenFile open;
    private boolean taken;

    BodySource(Path path, OpenFile open) {
        this.path = path;
        this.open = open;
    }

    /** The open file, now the caller's to close. */
    OpenFile take() {
        if (taken) {
            throw new IllegalStateException("the body of " + path + " was taken already");
        }
        taken = true;
        OpenFile file = open;
        open = null;
        return file;
    }

    @Override
    public void close() throws IOException {
        if (open != null) {
            open.close();
            open = null;
        }
    }
}
