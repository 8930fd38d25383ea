// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.auth.UserDirectory;

/** Starts real servers on free loopback ports for tests, with a users file of known passwords. */
public final class TestServers {

    public static final String USER = "alice";
    public static final String PASSWORD = "correct horse battery staple";

    private TestServers() {
    }

    /** A users file with {@link #USER} (cost 4: tests need speed, not resistance). */
    public static Path usersFile(Path dir) throws IOException {
        Path file = dir.resolve("users");
        Files.writeString(file, "# test users\n" + USER + ":" + UserDirectory.hash(PASSWORD, 4) + "\n"
                + "reader:" + UserDirectory.hash(PASSWORD, 4) + "\n");
        return file;
    }

    /** A read-write share "files" at {@code root}, signed-in users only, Basic allowed over loopback HTTP. */
    public static HttpFileServer writable(Path root, Path usersFile, HttpSettings http) throws IOException {
        return writable(root, usersFile, http, "auto");
    }

    /** As {@link #writable(Path, Path, HttpSettings)}, with dead properties kept as {@code deadProperties} says. */
    public static HttpFileServer writable(Path root, Path usersFile, HttpSettings http, String deadProperties)
            throws IOException {
        return writable(root, usersFile, http, deadProperties, ShareSettings.DEFAULT_ENGINE);
    }

    /** As {@link #writable(Path, Path, HttpSettings, String)}, with uploads received by {@code uploadEngine}. */
    public static HttpFileServer writable(Path root, Path usersFile, HttpSettings http, String deadProperties,
            String uploadEngine) throws IOException {
        return HttpFileServer.start(http, new AuthSettings(usersFile, null, true),
                List.of(new ShareSettings("files", root, false).withDeadProperties(deadProperties)
                        .withUploadEngine(uploadEngine)));
    }

    public static HttpSettings loopback() {
        return new HttpSettings("127.0.0.1", 0);
    }

    public static String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
