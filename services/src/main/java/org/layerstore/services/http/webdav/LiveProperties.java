// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http.webdav;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.layerstore.services.http.FileState;
import org.layerstore.services.http.HttpDates;
import org.layerstore.services.http.OpenedInside;
import org.layerstore.services.http.Resource;

/** The DAV: properties the server computes from the file itself; clients cannot set them (403). */
final class LiveProperties {

    /** Shown by allprop and propname. */
    static final List<String> ALLPROP = List.of("creationdate", "getcontentlength", "getcontenttype", "getetag",
            "getlastmodified", "resourcetype", "supportedlock", "lockdiscovery", "displayname");

    /** Every live property: allprop's, and the RFC 4331 quotas, which are only sent when asked for by name. */
    static final List<String> NAMES = java.util.stream.Stream.concat(ALLPROP.stream(),
            java.util.stream.Stream.of("quota-available-bytes", "quota-used-bytes")).toList();

    private static final String SUPPORTED_LOCK = "<D:lockentry><D:lockscope><D:exclusive/></D:lockscope>"
            + "<D:locktype><D:write/></D:locktype></D:lockentry><D:lockentry><D:lockscope><D:shared/></D:lockscope>"
            + "<D:locktype><D:write/></D:locktype></D:lockentry>";

    private final Resource resource;
    private final FileState state;
    /** The resource opened inside its share: creation time and quotas are read from it, not by name. */
    private final Path opened;
    private final LockManager locks;
    private FileTime created;

    LiveProperties(Resource resource, OpenedInside opened, LockManager locks) {
        this.resource = resource;
        this.state = opened.state();
        this.opened = opened.path();
        this.locks = locks;
    }

    static boolean isLive(PropertyName name) {
        return name.isDav() && NAMES.contains(name.local());
    }

    /** The property's element with its value, or null when this resource does not have it. */
    String element(String local) throws IOException {
        String value = value(local);
        if (value == null) {
            return null;
        }
        return value.isEmpty() ? "<D:" + local + "/>" : "<D:" + local + ">" + value + "</D:" + local + ">";
    }

    private String value(String local) throws IOException {
        return switch (local) {
            case "creationdate" -> HttpDates.formatIso(created());
            case "getcontentlength" -> state.directory() ? null : Long.toString(state.size());
            case "getcontenttype" -> state.directory() ? null
                    : XmlText.escape(org.layerstore.services.http.ContentTypes.of(resource.path()));
            case "getetag" -> XmlText.escape(state.etag());
            case "getlastmodified" -> state.lastModified();
            case "resourcetype" -> state.directory() ? "<D:collection/>" : "";
            case "supportedlock" -> SUPPORTED_LOCK;
            case "displayname" -> XmlText.escape(resource.name());
            case "quota-available-bytes" -> state.directory()
                    ? Long.toString(Files.getFileStore(opened).getUsableSpace()) : null;
            case "quota-used-bytes" -> {
                if (!state.directory()) {
                    yield null;
                }
                var store = Files.getFileStore(opened);
                yield Long.toString(store.getTotalSpace() - store.getUnallocatedSpace());
            }
            case "lockdiscovery" -> {
                StringBuilder b = new StringBuilder();
                long now = locks.now();
                for (ActiveLock l : locks.covering(resource.key())) {
                    b.append(l.toXml(now));
                }
                yield b.toString();
            }
            default -> null;
        };
    }

    private FileTime created() throws IOException {
        if (created == null) {
            created = Files.readAttributes(opened, BasicFileAttributes.class).creationTime();
        }
        return created;
    }
}
