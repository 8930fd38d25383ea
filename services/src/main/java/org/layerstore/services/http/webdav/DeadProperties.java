package org.layerstore.services.http.webdav;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * WebDAV dead properties, kept in one extended attribute ({@value #ATTRIBUTE}, i.e. {@code user.}
 * on Linux) of the file or folder they describe.
 *
 * <p>Why an xattr and not a sidecar store: the properties then travel with the file through every
 * rename (MOVE is one rename(2)), disappear with it on delete, survive restarts with no database to
 * keep consistent, and stay right when files are changed behind the server's back. The cost is the
 * filesystem's xattr size (about 4 KiB per file on ext4, 64 KiB on XFS and btrfs); a PROPPATCH that
 * does not fit answers 507. On a filesystem without user xattrs PROPPATCH answers 507 too, and the
 * log says why.
 */
public final class DeadProperties {

    static final String ATTRIBUTE = "layerstore.dav";
    private static final int FORMAT = 1;

    /** The filesystem cannot hold the properties (no user xattrs, or too large for them). */
    public static final class StoreFullException extends IOException {
        private static final long serialVersionUID = 1L;

        StoreFullException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DeadProperties() {
    }

    /** Every dead property of {@code path}, by name, with its value as a self-contained XML element. */
    public static Map<PropertyName, String> read(Path path) throws IOException {
        UserDefinedFileAttributeView view = view(path);
        if (view == null) {
            return Map.of();
        }
        ByteBuffer buf;
        try {
            if (!view.list().contains(ATTRIBUTE)) {
                return Map.of();
            }
            buf = ByteBuffer.allocate(view.size(ATTRIBUTE));
            view.read(ATTRIBUTE, buf);
        } catch (FileSystemException e) {
            return Map.of(); // no xattr support: no dead properties to show
        }
        Map<PropertyName, String> props = new LinkedHashMap<>();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(buf.array(), 0, buf.position()))) {
            if (in.readByte() != FORMAT) {
                throw new IOException("unknown dead property format in " + path);
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                props.put(new PropertyName(in.readUTF(), in.readUTF()), in.readUTF());
            }
        }
        return props;
    }

    /** Replaces every dead property of {@code path}; an empty map removes the attribute. */
    public static void write(Path path, Map<PropertyName, String> props) throws IOException {
        UserDefinedFileAttributeView view = view(path);
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
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeByte(FORMAT);
                out.writeInt(props.size());
                for (var e : props.entrySet()) {
                    out.writeUTF(e.getKey().namespace());
                    out.writeUTF(e.getKey().local());
                    out.writeUTF(e.getValue());
                }
            }
            view.write(ATTRIBUTE, ByteBuffer.wrap(bytes.toByteArray()));
        } catch (FileSystemException e) {
            throw new StoreFullException("cannot store dead properties of " + path + ": " + e.getReason(), e);
        }
    }

    /** Copies the dead properties of {@code from} onto {@code to} (COPY, and uploads replacing a file). */
    public static void copy(Path from, Path to) throws IOException {
        Map<PropertyName, String> props = read(from);
        if (!props.isEmpty()) {
            write(to, props);
        }
    }

    private static UserDefinedFileAttributeView view(Path path) {
        return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
    }
}
