package org.layerstore.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as a new user runs it: {@code ./layerstore demo} creates the demo share,
 * serves it on a printed free port, curl downloads the 64 MiB file intact, and Ctrl-C stops it.
 */
class DemoLauncherSystemTest {

    private static final Pattern SHARE_URL = Pattern.compile("share demo: (http://\\S+/demo/)");
    private static final Pattern DASHBOARD_URL = Pattern.compile("dashboard: (http://\\S+/_dashboard/)");
    private static final Pattern EMBEDDED_BROKER = Pattern.compile("telemetry: MQTT (tcp://\\S+) \\(embedded broker");

    @TempDir
    Path dataHome;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void theDemoServesTheBigFileIntactAndStopsOnCtrlC() throws Exception {
        Path repo = Path.of(System.getProperty("layerstore.repo"));
        ProcessBuilder pb = new ProcessBuilder(repo.resolve("layerstore").toString(), "demo")
                .redirectErrorStream(true);
        pb.environment().put("XDG_DATA_HOME", dataHome.toString());
        pb.environment().put("LAYERSTORE_NO_BUILD", "1"); // the reactor has just built it
        Process appliance = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(appliance.getInputStream(), StandardCharsets.UTF_8));
            String url = null;
            String dashboard = null;
            String broker = null;
            for (String line; broker == null && (line = out.readLine()) != null; ) {
                Matcher m = SHARE_URL.matcher(line);
                if (m.find()) {
                    url = m.group(1);
                }
                Matcher d = DASHBOARD_URL.matcher(line);
                if (d.find()) {
                    dashboard = d.group(1);
                }
                Matcher b = EMBEDDED_BROKER.matcher(line);
                if (b.find()) {
                    broker = b.group(1);
                }
            }
            assertTrue(url != null, "the launcher never printed the demo share's URL");
            assertTrue(dashboard != null && broker != null, "the launcher never printed the dashboard and embedded broker");
            assertTrue(run("curl", "-sS", "--fail", dashboard).contains("<title>Layerstore monitor</title>"));
            try (var subscriber = new org.layerstore.bench.telemetry.MqttRecorder(broker, "demo-check", false, "layerstore/+/availability")) {
                assertEquals("online", subscriber.await(r -> true, 30, TimeUnit.SECONDS).payload());
            }

            Path original = dataHome.resolve("layerstore/demo-share/big-64MiB.bin");
            Path download = dataHome.resolve("download.bin");
            assertEquals("0", run("curl", "-sS", "--fail", "-o", download.toString(), "-w", "%{exitcode}", url + "big-64MiB.bin"));
            assertEquals(sha256(original), sha256(download));
            String head = run("curl", "-sS", "-I", url + "big-64MiB.bin");
            assertTrue(head.toLowerCase().contains("content-length: 67108864"), head);

            new ProcessBuilder("kill", "-INT", Long.toString(appliance.pid())).start().waitFor();
            // The first run after a build also writes the JDK's AOT cache as it stops (seconds on a busy machine).
            assertTrue(appliance.waitFor(60, TimeUnit.SECONDS), "the appliance did not stop within 60 s of Ctrl-C");
            String rest = new String(appliance.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(rest.contains("Stopping."), rest);
            Path aotCache = repo.resolve("services/target/dist/layerstore.aot");
            assertTrue(Files.isRegularFile(aotCache) && Files.size(aotCache) > 1 << 20,
                    "the launcher's AOT cache is there for the next start: " + aotCache);
        } finally {
            appliance.destroyForcibly();
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return output.trim();
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                digest.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
