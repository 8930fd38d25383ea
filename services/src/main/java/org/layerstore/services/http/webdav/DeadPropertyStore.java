// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a share keeps WebDAV dead properties (PROPPATCH), so they outlive restarts. Two kinds: an
 * extended attribute on each file ({@link XattrPropertyStore}, preferred), or a hidden sidecar tree in
 * the share ({@link SidecarPropertyStore}) for filesystems without user xattrs or for backups that drop
 * them. Paths are inside the share; the file operations call back so the sidecar can follow them.
 */
public interface DeadPropertyStore {

    /** The filesystem cannot hold the properties (no user xattrs, too large, or full). */
    final class StoreFullException extends IOException {
        private static final long serialVersionUID = 1L;

        StoreFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every dead property of {@code path}, by name, each value a self-contained XML element. */
    default Map<PropertyName, String> read(Path path) throws IOException {
        return read(path, path);
    }

    /**
     * As {@link #read(Path)}, {@code opened} being the same file through its open descriptor
     * ({@code /proc/self/fd/N}): what a store that keeps properties on the file itself reads, so a link
     * swapped into {@code path} meanwhile cannot make it read another file.
     */
    Map<PropertyName, String> read(Path path, Path opened) throws IOException;

    /** Replaces every dead property of {@code path}; an empty map removes them. */
    default void write(Path path, Map<PropertyName, String> props) throws IOException {
        write(path, path, props);
    }

    /** As {@link #write(Path, Map)}, on {@code opened} for a store that keeps them on the file (see {@link #read(Path, Path)}). */
    void write(Path path, Path opened, Map<PropertyName, String> props) throws IOException;

    /** An upload's {@code replacement} is about to be renamed over {@code old}: keep old's properties. */
    void carryOver(Path old, Path replacement) throws IOException;

    /** {@code to} was created as a copy of {@code from} (one file or folder, not its members): it gets from's properties. */
    default void copied(Path from, Path to) throws IOException {
        Map<PropertyName, String> props = read(from);
        if (!props.isEmpty()) {
            write(to, props);
        }
    }

    /** The tree at {@code from} was renamed to {@code to}. */
    void moved(Path from, Path to) throws IOException;

    /** The tree at {@code path} was deleted. */
    void deleted(Path path) throws IOException;

    /** The kind for a share: "xattr", "sidecar", or "auto" (xattr when the share's filesystem has user xattrs). */
    static DeadPropertyStore forShare(Path root, String kind) {
        return switch (kind) {
            case "xattr" -> new XattrPropertyStore();
            case "sidecar" -> new SidecarPropertyStore(root);
            default -> XattrPropertyStore.supported(root) ? new XattrPropertyStore() : new SidecarPropertyStore(root);
        };
    }

    /**
     * The stored form of a property set: versioned, length-prefixed modified UTF-8, so each name and value
     * holds at most 65,535 bytes. A longer one does not fit either store (an extended attribute holds at
     * most 64 KiB in all, XATTR_SIZE_MAX): {@link StoreFullException}, which PROPPATCH answers with 507.
     */
    static byte[] encode(Map<PropertyName, String> props) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(1);
            out.writeInt(props.size());
            for (var e : props.entrySet()) {
                out.writeUTF(e.getKey().namespace());
                out.writeUTF(e.getKey().local());
                out.writeUTF(e.getValue());
            }
        } catch (UTFDataFormatException e) {
            throw new StoreFullException("a property name or value over 65535 bytes does not fit the store", e);
        }
        return bytes.toByteArray();
    }

    static Map<PropertyName, String> decode(byte[] bytes, int length, Path where) throws IOException {
        Map<PropertyName, String> props = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, length))) {
            if (in.readByte() != 1) {
                throw new IOException("unknown dead property format for " + where);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                props.put(new PropertyName(in.readUTF(), in.readUTF()), in.readUTF());
            }
        }
        return props;
    }
}
