// SPDX-License-Identifier: Apache-2.0
package org.layerstore.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.layerstore.services.config.ApplianceConfig;
import org.layerstore.services.config.AuthSettings;
import org.layerstore.services.config.EmbeddedBrokerSettings;
import org.layerstore.services.config.HttpSettings;
import org.layerstore.services.config.MqttSettings;
import org.layerstore.services.config.ShareSettings;
import org.layerstore.services.http.auth.BasicAuthenticator;
import org.layerstore.services.http.auth.UserDirectory;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/**
 * Password guessing against the running appliance (users file, embedded broker): throttled per address and
 * user with 429 and Retry-After, the right password accepted again after the lock, unknown and known users
 * answered in the same time, and every failure logged with the name tried and raised as auth_failure.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SignInHardeningTest {

    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path dir;

    private static Appliance appliance;
    private static String base;
    private static final Logger AUTH_LOG = (Logger) LoggerFactory.getLogger(BasicAuthenticator.class);
    private static final ListAppender<ILoggingEvent> LOG = new ListAppender<>();
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("a.txt"), "secret\n");
        // Cost 10 (about 60 ms here): large enough that a cheaper check of unknown users would show.
        Path users = Files.writeString(dir.resolve("users"), "alice:" + UserDirectory.hash(PASSWORD, 10) + "\n");
        MqttSettings mqtt = new MqttSettings(true, null, null, null, null, "signin-test", null, null, null, null, null,
                null, null, new EmbeddedBrokerSettings(null, 0, 0));
        appliance = Appliance.start(new ApplianceConfig(new HttpSettings("127.0.0.1", 0),
                new AuthSettings(users, null, true), List.of(new ShareSettings("files", share, false)), mqtt, null, null));
        base = appliance.httpUrl();
        LOG.start();
        AUTH_LOG.addAppender(LOG);
    }

    @AfterAll
    static void stop() {
        AUTH_LOG.detachAppender(LOG);
        if (appliance != null) {
            appliance.close();
        }
    }

    private HttpResponse<String> get(String user, String password) throws Exception {
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return client.send(HttpRequest.newBuilder(URI.create(base + "files/a.txt"))
                .header("Authorization", "Basic " + credentials).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGuessingLoopIsThrottledAndTheRightPasswordWorksAfterTheLock() throws Exception {
        LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
        MqttClient subscriber = new MqttClient(appliance.telemetry().embeddedBroker().orElseThrow().mqttUrl(),
                "auth-events", new MemoryPersistence());
        subscriber.connect(new MqttConnectionOptions());
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("layerstore/signin-test/events/auth_failure", 1)},
                new IMqttMessageListener[] {(topic, message) -> events.add(new String(message.getPayload(), StandardCharsets.UTF_8))});
        try {
            List<Integer> statuses = new ArrayList<>();
            HttpResponse<String> throttled = null;
            for (int i = 0; i < 40 && throttled == null; i++) {
                HttpResponse<String> r = get("alice", "guess-" + i);
                statuses.add(r.statusCode());
                throttled = r.statusCode() == 429 ? r : null;
            }
            assertEquals(List.of(401, 401, 401, 401, 401, 401, 429), statuses, "5 free failures, the 6th locks");
            long retryAfter = Long.parseLong(throttled.headers().firstValue("retry-after").orElseThrow());
            assertEquals(1, retryAfter, "the first lock is 1 s");
            assertEquals(429, get("alice", PASSWORD).statusCode(), "locked: the right password is not even checked");
            Thread.sleep(TimeUnit.SECONDS.toMillis(retryAfter) + 200);
            HttpResponse<String> signedIn = get("alice", PASSWORD);
            assertEquals(200, signedIn.statusCode());
            assertEquals("secret\n", signedIn.body());

            assertEquals(401, get("eve\u0001\"forged", "x").statusCode());
            List<String> lines = LOG.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertTrue(lines.contains("sign-in failed: user \"alice\" from 127.0.0.1"), lines.toString());
            assertTrue(lines.contains("sign-in failed: user \"alice\" from 127.0.0.1; further sign-ins refused for 1 s"),
                    lines.toString());
            assertTrue(lines.contains("sign-in failed: user \"eve\\x01\\x22forged\" from 127.0.0.1"), lines.toString());
            String event = events.poll(30, TimeUnit.SECONDS);
            assertTrue(event != null && event.contains("\"type\":\"auth_failure\"") && event.contains("\"user\":\"alice\"")
                    && event.contains("\"remote\":\"127.0.0.1\""), String.valueOf(event));
        } finally {
            subscriber.disconnect();
            subscriber.close();
        }
    }

    @Test
    void anUnknownUserIsAnsweredInTheTimeOfAKnownUsersWrongPassword() throws Exception {
        assertEquals(200, get("alice", PASSWORD).statusCode(), "signed in: the throttle starts afresh");
        List<Long> unknown = new ArrayList<>();
        List<Long> known = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            long t0 = System.nanoTime();
            assertEquals(401, get("nobody-" + i, "guess").statusCode());
            long t1 = System.nanoTime();
            assertEquals(401, get("alice", "guess-" + i).statusCode());
            long t2 = System.nanoTime();
            unknown.add(t1 - t0);
            known.add(t2 - t1);
            // A success clears the address's and alice's failures, so the throttle never steps in here.
            assertEquals(200, get("alice", PASSWORD).statusCode());
        }
        double ratio = (double) median(unknown) / median(known);
        // Before the fix: 17 ms against 400 ms here (0.04). Same cost: 1, give or take the busy machine's noise.
        assertTrue(ratio > 0.5 && ratio < 2, "unknown user " + median(unknown) / 1_000_000 + " ms, known user "
                + median(known) / 1_000_000 + " ms: ratio " + ratio);
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
