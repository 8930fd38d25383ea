// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;

/**
 * Dead properties in one extended attribute ({@code user.layerstore.dav}) of the file or folder they
 * describe. Preferred because the properties then travel with the file through every rename (MOVE is
 * one rename(2)), disappear with it on delete, need no database kept consistent, and stay right when
 * files change behind the server's back. The cost is the filesystem's xattr space (about 4 KiB per file
 * on ext4, 64 KiB on XFS and btrfs): a PROPPATCH that does not fit answers 507.
 */
final class XattrPropertyStore implements DeadPropertyStore {

    static final String ATTRIBUTE = "layerstore.dav";
    private static final String PROBE = "layerstore.probe";

    /** Whether user xattrs can be written in {@code dir}'s filesystem. */
    static boolean supported(Path dir) {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(dir, UserDefinedFileAttributeView.class);
        if (view == null) {
            return false;
        }
        try {
            view.write(PROBE, ByteBuffer.wrap(new byte[] {1}));
            view.delete(PROBE);
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    @Override
    public Map<PropertyName, String> read(Path path, Path opened) throws IOException {
        UserDefinedFileAttributeView view = view(opened);
        ByteBuffer buf;
        try {
            if (view == null || !view.list().contains(ATTRIBUTE)) {
                return Map.of();
            }
            buf = ByteBuffer.allocate(view.size(ATTRIBUTE));
            view.read(ATTRIBUTE, buf);
        } catch (FileSystemException e) {
            return Map.of(); // no xattr support here: no dead properties to show
        }
        return DeadPropertyStore.decode(buf.array(), buf.position(), path);
    }

    @Override
    public void write(Path path, Path opened, Map<PropertyName, String> props) throws IOException {
        UserDefinedFileAttributeView view = view(opened);
        if (view == null) {
            throw new StoreFullException("the filesystem of " + path + " has no user extended attributes", null);
        }
        try {
            if (props.isEmpty()) {
                if (view.list().contains(ATTRIBUTE)) {
                    view.delete(ATTRIBUTE);
                }
                return;
            }
            view.write(ATTRIBUTE, ByteBuffer.wrap(DeadPropertyStore.encode(props)));
        } catch (FileSystemException e) {
            throw new StoreFullException("cannot store dead properties of " + path + ": " + e.getReason(), e);
        }
    }

    @Override
    public void carryOver(Path old, Path replacement) throws IOException {
        copied(old, replacement);
    }

    @Override
    public void moved(Path from, Path to) {
        // the attribute moved with the file
    }

    @Override
    public void deleted(Path path) {
        // the attribute went with the file
    }

    private static UserDefinedFileAttributeView view(Path path) {
        return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    }
}
