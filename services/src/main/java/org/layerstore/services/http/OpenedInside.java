// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.nio.file.Path;

import org.layerstore.hal.libc.PathDescriptor;

/**
 * A file or folder of a share opened inside it (O_PATH: for status and attributes, not content), with its
 * state: what a description of it (PROPFIND) reads, all from the one object opened.
 */
public record OpenedInside(PathDescriptor descriptor, FileState state) implements AutoCloseable {

    /** The opened object as a path any file API can use ({@link PathDescriptor#procPath}). */
    public Path path() {
        return descriptor.procPath();
    }

    @Override
    public void close() {
        descriptor.close();
    }
}
