// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One shared folder, served under {@code /<name>/}.
 *
 * @param name      the share's name in URLs: letters, digits, '.', '_' and '-'
 * @param root      the folder shared; must exist
 * @param readOnly  whether writes are refused for everyone
 * @param anonymous what clients without credentials may do: {@code none} (default), {@code read}
 * @param users     who may do what: user name to {@code read} or {@code read-write}; absent gives every
 *                  user of the users file read-write (read if the share is read-only)
 * @param engine    the datapath transmit engine for file bodies: one of {@link #ENGINES}; default "auto"
 * @param deadProperties where WebDAV dead properties are kept: "xattr", "sidecar", or "auto" (default:
 *                  xattr when the share's filesystem supports user xattrs, else sidecar)
 * @param uploadEngine the datapath receive engine for PUT bodies: one of {@link #UPLOAD_ENGINES}; default "auto"
 * @param openFileCache how many files GET and HEAD keep open between requests (0: none); default
 *                  {@value #DEFAULT_OPEN_FILE_CACHE}
 */
public record ShareSettings(String name, Path root, Boolean readOnly, String anonymous, Map<String, String> users,
        String engine, String deadProperties, String uploadEngine, Integer openFileCache) {

    public static final String ANONYMOUS_NONE = "none";
    public static final String ANONYMOUS_READ = "read";
    public static final String READ = "read";
    public static final String READ_WRITE = "read-write";
    public static final String DEFAULT_ENGINE = "auto";
    /** The engines the datapath offers; "auto" lets it choose per transfer. */
    public static final List<String> ENGINES = List.of("auto", "copy", "mmap", "sendfile", "splice", "zerocopy");
    /** The name of the removed frame-manager engine, refused with a pointer to the offload port that replaced it. */
    static final String REMOVED_OFFLOAD_ENGINE = "offload";
    /** The receive engines for uploads; "auto" splices large bodies when it can. */
    public static final List<String> UPLOAD_ENGINES = List.of("auto", "copy", "splice");
    /** Files kept open for GET and HEAD when {@code openFileCache} is not given (nginx's usual {@code max=1000}). */
    public static final int DEFAULT_OPEN_FILE_CACHE = 1000;
    /** The most {@code openFileCache} may keep: each is a descriptor, and the process has RLIMIT_NOFILE of them. */
    public static final int MAX_OPEN_FILE_CACHE = 65536;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public ShareSettings {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new ConfigException("share name '" + name
                    + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        if (root == null) {
            throw new ConfigException("share '" + name + "' has no root folder");
        }
        readOnly = readOnly != null && readOnly;
        anonymous = anonymous == null ? ANONYMOUS_NONE : anonymous;
        if (!anonymous.equals(ANONYMOUS_NONE) && !anonymous.equals(ANONYMOUS_READ)) {
            throw new ConfigException("share '" + name + "': anonymous must be 'none' or 'read', got '" + anonymous + "'");
        }
        users = users == null ? null : Map.copyOf(users);
        if (users != null) {
            users.forEach((user, right) -> {
                if (!right.equals(READ) && !right.equals(READ_WRITE)) {
                    throw new ConfigException("share '" + name + "': user '" + user
                            + "' must have 'read' or 'read-write', got '" + right + "'");
                }
            });
        }
        engine = engine == null ? DEFAULT_ENGINE : engine;
        if (engine.equals(REMOVED_OFFLOAD_ENGINE)) {
            throw new ConfigException("share '" + name + "': engine 'offload' is gone: file bodies go through the frame"
                    + " manager on the offload port now, the user-space TCP/IP stack that serves every share on its own"
                    + " link (the 'offload:' section of the configuration, or layerstore serve --offload-link IFNAME"
                    + " --offload-address ADDRESS/PREFIX); give this share one of " + ENGINES + " for the kernel listener");
        }
        if (!ENGINES.contains(engine)) {
            throw new ConfigException("share '" + name + "': engine must be one of " + ENGINES + ", got '" + engine + "'");
        }
        deadProperties = deadProperties == null ? "auto" : deadProperties;
        if (!List.of("auto", "xattr", "sidecar").contains(deadProperties)) {
            throw new ConfigException("share '" + name + "': deadProperties must be auto, xattr or sidecar, got '"
                    + deadProperties + "'");
        }
        uploadEngine = uploadEngine == null ? DEFAULT_ENGINE : uploadEngine;
        if (!UPLOAD_ENGINES.contains(uploadEngine)) {
            throw new ConfigException("share '" + name + "': uploadEngine must be one of " + UPLOAD_ENGINES + ", got '"
                    + uploadEngine + "'");
        }
        openFileCache = openFileCache == null ? DEFAULT_OPEN_FILE_CACHE : openFileCache;
        if (openFileCache < 0 || openFileCache > MAX_OPEN_FILE_CACHE) {
            throw new ConfigException("share '" + name + "': openFileCache must be 0 (off) to " + MAX_OPEN_FILE_CACHE
                    + ", got " + openFileCache);
        }
    }

    public ShareSettings(String name, Path root, Boolean readOnly, String anonymous, Map<String, String> users,
            String engine, String deadProperties, String uploadEngine) {
        this(name, root, readOnly, anonymous, users, engine, deadProperties, uploadEngine, null);
    }

    /** As the canonical constructor, with the default upload engine. */
    public ShareSettings(String name, Path root, Boolean readOnly, String anonymous, Map<String, String> users,
            String engine, String deadProperties) {
        this(name, root, readOnly, anonymous, users, engine, deadProperties, null, null);
    }

    /** A share open to every authenticated user (read-write unless {@code readOnly}), closed to anonymous clients. */
    public ShareSettings(String name, Path root, Boolean readOnly) {
        this(name, root, readOnly, null, null, null, null, null, null);
    }

    public ShareSettings withAnonymous(String newAnonymous) {
        return new ShareSettings(name, root, readOnly, newAnonymous, users, engine, deadProperties,
                uploadEngine, openFileCache);
    }

    public ShareSettings withEngine(String newEngine) {
        return new ShareSettings(name, root, readOnly, anonymous, users, newEngine, deadProperties,
                uploadEngine, openFileCache);
    }

    public ShareSettings withDeadProperties(String newDeadProperties) {
        return new ShareSettings(name, root, readOnly, anonymous, users, engine, newDeadProperties,
                uploadEngine, openFileCache);
    }

    public ShareSettings withUploadEngine(String newUploadEngine) {
        return new ShareSettings(name, root, readOnly, anonymous, users, engine, deadProperties,
                newUploadEngine, openFileCache);
    }

    public ShareSettings withOpenFileCache(int newOpenFileCache) {
        return new ShareSettings(name, root, readOnly, anonymous, users, engine, deadProperties, uploadEngine,
                newOpenFileCache);
    }

    public boolean anonymousRead() {
        return anonymous.equals(ANONYMOUS_READ);
    }
}
