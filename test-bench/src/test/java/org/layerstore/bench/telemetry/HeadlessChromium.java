// SPDX-License-Identifier: Apache-2.0
package org.layerstore.bench.telemetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Debian's Chromium, headless, driven over the Chrome DevTools Protocol with the JDK's own WebSocket
 * client: navigate, evaluate JavaScript in the page, take a screenshot. Nothing is downloaded; the
 * profile is a new temp dir.
 */
final class HeadlessChromium implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket page;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile Map<String, String> credentials;

    private HeadlessChromium(Process process, WebSocket page) {
        this.process = process;
        this.page = page;
    }

    static HeadlessChromium start(Path profile, int width, int height) throws IOException, InterruptedException {
        return start(profile, width, height, List.of());
    }

    /** @param extraFlags more command-line flags, such as {@code --ignore-certificate-errors} for a self-signed server */
    static HeadlessChromium start(Path profile, int width, int height, List<String> extraFlags)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createDirectories(profile), "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "--hide-scrollbars"));
        command.addAll(extraFlags);
        command.add("about:blank");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String browserWs = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; browserWs == null && (line = out.readLine()) != null; ) {
            seen.append(line).append('\n');
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            process.destroyForcibly();
            throw new IOException("chromium printed no DevTools address:\n" + seen);
        }
        // Keep draining its output so that it never blocks on a full pipe.
        Thread.ofVirtual().start(() -> out.lines().forEach(line -> { }));
        URI devtools = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + devtools.getAuthority() + "/json/list")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode target : JSON.readTree(list)) {
            if (target.get("type").asText().equals("page")) {
                pageWs = target.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageWs == null) {
            process.destroyForcibly();
            throw new IOException("chromium has no page target: " + list);
        }
        HeadlessChromium[] self = new HeadlessChromium[1];
        WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), new WebSocket.Listener() {
            private final StringBuilder message = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                message.append(data);
                if (last) {
                    self[0].received(message.toString());
                    message.setLength(0);
                }
                webSocket.request(1);
                return null;
            }
        }).join();
        self[0] = new HeadlessChromium(process, socket);
        return self[0];
    }

    /**
     * From now on the browser answers every HTTP authentication challenge with {@code user} and {@code password},
     * as an operator typing them into the browser's sign-in dialog would (DevTools' Fetch domain).
     */
    void signInAs(String user, String password) throws Exception {
        credentials = Map.of("response", "ProvideCredentials", "username", user, "password", password);
        call("Fetch.enable", Map.of("handleAuthRequests", true, "patterns", List.of(Map.of("urlPattern", "*"))));
    }

    /** A paused request goes on, a challenge gets the credentials; answered without waiting, on the listener's thread. */
    private void event(JsonNode message) {
        String method = message.get("method").asText();
        String request = message.path("params").path("requestId").asText();
        if (method.equals("Fetch.requestPaused")) {
            send("Fetch.continueRequest", Map.of("requestId", request));
        } else if (method.equals("Fetch.authRequired")) {
            send("Fetch.continueWithAuth", Map.of("requestId", request, "authChallengeResponse", credentials));
        }
    }

    private void received(String text) {
        try {
            JsonNode message = JSON.readTree(text);
            if (message.has("method")) {
                event(message);
            } else if (message.has("id")) {
                CompletableFuture<JsonNode> future = pending.remove(message.get("id").asInt());
                if (future != null) {
                    future.complete(message);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable DevTools message: " + text, e);
        }
    }

    /** Sends a DevTools command and returns its result, failing on a protocol error. */
    JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode command = JSON.createObjectNode();
        command.put("id", id);
        command.put("method", method);
        command.set("params", JSON.valueToTree(params));
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        sendCommand(command);
        JsonNode message = reply.get(30, TimeUnit.SECONDS);
        if (message.has("error")) {
            throw new IOException(method + " failed: " + message.get("error"));
        }
        return message.get("result");
    }

    /** Sends a command whose reply nobody waits for. */
    private void send(String method, Map<String, Object> params) {
        ObjectNode command = JSON.createObjectNode();
        command.put("id", ids.incrementAndGet());
        command.put("method", method);
        command.set("params", JSON.valueToTree(params));
        sendCommand(command);
    }

    /** One message at a time: the JDK's WebSocket refuses a send while another is under way. */
    private synchronized void sendCommand(ObjectNode command) {
        try {
            page.sendText(JSON.writeValueAsString(command), true).join();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + command, e);
        }
    }

    void navigate(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression evaluated in the page, as text. */
    String evaluate(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("'" + expression + "' threw: " + result.get("exceptionDetails"));
        }
        return result.get("result").path("value").asText();
    }

    /**
     * Evaluates {@code expression} every 250 ms until it contains {@code expected}; returns its last value. An
     * expression that throws (the page is still loading) counts as not yet.
     */
    String awaitText(String expression, String expected, long timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        String value = "";
        while (System.nanoTime() < deadline) {
            try {
                value = evaluate(expression);
            } catch (IOException notYet) {
                value = notYet.getMessage();
            }
            if (value.contains(expected)) {
                return value;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the page never showed '" + expected + "' in " + expression + "; last: '" + value + "'");
    }

    void screenshot(Path file) throws Exception {
        JsonNode shot = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(shot.get("data").asText()));
    }

    @Override
    public void close() {
        page.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
