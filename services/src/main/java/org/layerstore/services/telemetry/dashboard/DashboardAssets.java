// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.telemetry.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The dashboard's files, all from the class path: the page itself (this package's resources) and the
 * browser libraries from their WebJars, located through each WebJar's Maven metadata so that a version
 * bump in the pom needs no change here.
 */
final class DashboardAssets {

    /** A file to send: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {
    }

    private static final String PAGE = "/org/layerstore/services/telemetry/dashboard/";
    private static final Map<String, String> PAGE_FILES = Map.of(
            "", "index.html",
            "index.html", "index.html",
            "dashboard.js", "dashboard.js",
            "dashboard.css", "dashboard.css");
    /** URL name under lib/ (the file's own name, as in the standalone copy) -> WebJar artifact and file inside it. */
    private static final Map<String, String[]> LIBRARIES = Map.of(
            "chart.umd.min.js", new String[] {"chart.js", "dist/chart.umd.min.js"},
            "paho-mqtt-min.js", new String[] {"paho-mqtt", "paho-mqtt-min.js"});

    private DashboardAssets() {
    }

    /** The asset at {@code path} (relative to /_dashboard/), if there is one. */
    static Optional<Asset> find(String path) {
        if (PAGE_FILES.containsKey(path)) {
            String file = PAGE_FILES.get(path);
            return Optional.of(new Asset(read(PAGE + file), contentType(file)));
        }
        if (path.startsWith("lib/") && LIBRARIES.containsKey(path.substring(4))) {
            String[] lib = LIBRARIES.get(path.substring(4));
            return Optional.of(new Asset(read(webJarPath(lib[0], lib[1])), contentType(lib[1])));
        }
        return Optional.empty();
    }

    static String webJarPath(String artifact, String file) {
        String properties = "/META-INF/maven/org.webjars.npm/" + artifact + "/pom.properties";
        try (InputStream in = DashboardAssets.class.getResourceAsStream(properties)) {
            if (in == null) {
                throw new IllegalStateException("WebJar " + artifact + " is not on the class path (" + properties + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return "/META-INF/resources/webjars/" + artifact + "/" + p.getProperty("version") + "/" + file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + properties, e);
        }
    }

    private static byte[] read(String resource) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("dashboard resource " + resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        }
        return "text/javascript; charset=utf-8";
    }
}
