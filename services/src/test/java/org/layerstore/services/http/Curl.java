// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real curl against a test server and returns exactly what came back: status, headers, body bytes. */
public final class Curl {

    /** One response: the last status line's code, its headers (lower-case names), its body. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Path dir;
    private final List<String> prefix;
    private final List<String> common;

    /**
     * @param dir    where header and body files go
     * @param common options for every call (e.g. {@code --cacert}, {@code -u})
     */
    public Curl(Path dir, String... common) {
        this(List.of(), dir, common);
    }

    private Curl(List<String> prefix, Path dir, String... common) {
        this.prefix = prefix;
        this.dir = dir;
        this.common = List.of(common);
    }

    /** A curl run inside network namespace {@code namespace} ({@code ip netns exec}). */
    public static Curl inNamespace(String namespace, Path dir, String... common) {
        return new Curl(List.of("ip", "netns", "exec", namespace), dir, common);
    }

    public Response run(String... args) throws IOException, InterruptedException {
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        Path body = Files.createTempFile(dir, "body", ".bin");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("curl", "-sS", "--max-time", "60", "-D", headers.toString(), "-o", body.toString()));
        command.addAll(common);
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), "curl did not finish: " + command);
        if (p.exitValue() != 0) {
            throw new IOException("curl " + command + " exited " + p.exitValue() + ": " + output);
        }
        int status = 0;
        Map<String, String> map = new LinkedHashMap<>();
        for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
            if (line.startsWith("HTTP/")) {
                status = Integer.parseInt(line.split(" ")[1]);
                map.clear(); // a 100 Continue or 401 before the final response
            } else if (line.contains(":")) {
                int colon = line.indexOf(':');
                map.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        byte[] bytes = Files.readAllBytes(body);
        Files.delete(headers);
        Files.delete(body);
        return new Response(status, map, bytes);
    }
}
